"""The desk's sheets of the prefecture list (点検結果, 進捗, 集計, 要注意) and the styling
every sheet of the list shares."""
