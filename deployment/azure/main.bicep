// The 2307 マイナンバー調査 bot on Azure, in a Japan region: Azure Bot (Teams channel),
// Container Apps (probes on /healthz and /readyz), Azure Managed Redis (non-clustered,
// noeviction, AOF persistence, TLS only), Key Vault for the secrets, Log Analytics and
// Application Insights. Deploy into an empty resource group (deployment/README.md):
//
//   az deployment group create -g <group> -f deployment/azure/main.bicep -p containerImage=... ...
//
// Not compiled in this project's CI (no Bicep there): tests/deployment/test_azure_template.py
// checks offline that it sets every setting the bot needs in production, under the
// names of the README's settings table. Run `az bicep build -f main.bicep` before use.

targetScope = 'resourceGroup'

@description('Azure region: Japan East or Japan West (answers stay in Japan).')
@allowed([
  'japaneast'
  'japanwest'
])
param location string = 'japaneast'

@description('Prefix of resource names (lower-case letters and digits).')
@minLength(3)
@maxLength(12)
param namePrefix string = 'mn2307'

@description('Bot type. SingleTenant: an Entra app registration with a client secret (make the app multi-tenant to serve other tenants). UserAssignedMSI: this deployment\'s managed identity, no secret, one tenant.')
@allowed([
  'SingleTenant'
  'UserAssignedMSI'
])
param botIdentity string = 'SingleTenant'

@description('SingleTenant: the Entra app registration\'s Application (client) ID. Ignored for UserAssignedMSI.')
param microsoftAppId string = ''

@description('SingleTenant: the app registration\'s client secret (stored in Key Vault). Ignored for UserAssignedMSI.')
@secure()
param microsoftAppPassword string = ''

@description('The bot image, e.g. mn2307acr.azurecr.io/mn2307-bot:1.0.0 (az acr build, deployment/README.md).')
param containerImage string

@description('Name of the Azure Container Registry (in this resource group) that holds the image.')
param registryName string

@description('Comma-separated tenant ids whose users may use the bot: the prefecture\'s and its municipalities\'.')
param allowedTenants string

@description('Comma-separated aadObjectId:都道府県コード pairs of prefecture staff allowed to use 集計.')
param prefectureStaff string = ''

@description('Azure Managed Redis SKU. Balanced_B1 holds far more than 1,800 answers.')
param redisSku string = 'Balanced_B1'

@description('Replicas of the bot; they share Redis, so any number stays consistent.')
@minValue(1)
param minReplicas int = 1
@minValue(1)
param maxReplicas int = 3

@description('Seconds Container Apps waits between SIGTERM and SIGKILL.')
param terminationGracePeriodSeconds int = 30

@description('Seconds the bot lets running turns finish after SIGTERM; below terminationGracePeriodSeconds.')
param shutdownTimeoutSeconds int = 20

var suffix = uniqueString(resourceGroup().id)
var appName = '${namePrefix}-bot'
var tenantId = tenant().tenantId
var singleTenant = botIdentity == 'SingleTenant'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var acrPull = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

// --- observability -------------------------------------------------------------------------

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs-${suffix}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 90
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-insights-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

// --- identity and secrets ---------------------------------------------------------------------

// Pulls the image, reads Key Vault, and (UserAssignedMSI) is the bot's identity.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-identity'
  location: location
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: '${namePrefix}-kv-${take(suffix, 8)}'
  location: location
  properties: {
    tenantId: tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

resource vaultReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource imagePull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, identity.id, acrPull)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPull)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// --- Redis: the only copy of the answers ------------------------------------------------------

resource redis 'Microsoft.Cache/redisEnterprise@2025-07-01' = {
  name: '${namePrefix}-redis-${suffix}'
  location: location
  sku: { name: redisSku }
  properties: {
    minimumTlsVersion: '1.2'
    highAvailability: 'Enabled'
  }
}

resource redisDb 'Microsoft.Cache/redisEnterprise/databases@2025-07-01' = {
  parent: redis
  name: 'default'
  properties: {
    clientProtocol: 'Encrypted' // TLS only: rediss://
    port: 10000
    // The turn's save script touches several keys at once: a cluster refuses it (CROSSSLOT).
    clusteringPolicy: 'NoCluster'
    // A full Redis must refuse writes, never drop answers (Azure's default is VolatileLRU).
    evictionPolicy: 'NoEviction'
    persistence: {
      aofEnabled: true
      aofFrequency: '1s'
    }
    accessKeysAuthentication: 'Enabled'
  }
}

// The access key holds / + =: percent-encoded into the URL (uriComponent), as the bot requires.
resource redisUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'redis-url'
  properties: {
    value: 'rediss://:${uriComponent(redisDb.listKeys().primaryKey)}@${redis.properties.hostName}:10000/0'
  }
}

resource appPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (singleTenant) {
  parent: vault
  name: 'microsoft-app-password'
  properties: {
    value: microsoftAppPassword
  }
}

resource insightsSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'appinsights-connection-string'
  properties: {
    value: insights.properties.ConnectionString
  }
}

// --- the bot's container --------------------------------------------------------------------

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${namePrefix}-env-${suffix}'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

// A container app's host name is its name under the environment's default domain.
var fqdn = '${appName}.${environment.properties.defaultDomain}'
var botAppId = singleTenant ? microsoftAppId : identity.properties.clientId

var vaultSecrets = concat([
  { name: 'redis-url', keyVaultUrl: redisUrlSecret.properties.secretUri, identity: identity.id }
  { name: 'appinsights-connection-string', keyVaultUrl: insightsSecret.properties.secretUri, identity: identity.id }
], singleTenant ? [
  { name: 'microsoft-app-password', keyVaultUrl: appPasswordSecret.properties.secretUri, identity: identity.id }
] : [])

// Settings of the bot (README.md, "Settings"); secrets only by reference to Key Vault.
var botSettings = concat([
  { name: 'MicrosoftAppType', value: botIdentity }
  { name: 'MicrosoftAppId', value: botAppId }
  { name: 'MicrosoftAppTenantId', value: tenantId }
  { name: 'REDIS_URL', secretRef: 'redis-url' }
  { name: 'BOT_PUBLIC_URL', value: 'https://${fqdn}' }
  { name: 'ALLOWED_TENANTS', value: allowedTenants }
  { name: 'PREFECTURE_STAFF', value: prefectureStaff }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', secretRef: 'appinsights-connection-string' }
  { name: 'SHUTDOWN_TIMEOUT_SECONDS', value: string(shutdownTimeoutSeconds) }
  { name: 'LOG_LEVEL', value: 'INFO' }
], singleTenant ? [
  { name: 'MicrosoftAppPassword', secretRef: 'microsoft-app-password' }
] : [])

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: appName
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  dependsOn: [
    vaultReader
    imagePull
  ]
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      ingress: {
        external: true
        targetPort: 3978
        transport: 'auto'
        allowInsecure: false
      }
      registries: [
        { server: registry.properties.loginServer, identity: identity.id }
      ]
      secrets: vaultSecrets
    }
    template: {
      terminationGracePeriodSeconds: terminationGracePeriodSeconds
      containers: [
        {
          name: 'bot'
          image: containerImage
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: botSettings
          probes: [
            {
              type: 'Startup'
              httpGet: { path: '/healthz', port: 3978 }
              periodSeconds: 3
              failureThreshold: 20
            }
            {
              type: 'Liveness'
              httpGet: { path: '/healthz', port: 3978 }
              periodSeconds: 15
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: { path: '/readyz', port: 3978 }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          { name: 'http', http: { metadata: { concurrentRequests: '100' } } }
        ]
      }
    }
  }
}

// --- the Azure Bot registration ---------------------------------------------------------------

// Azure Bot is a global resource; the answers never pass through it (only activities).
resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${namePrefix}-bot-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: { name: 'S1' }
  properties: {
    displayName: '2307 マイナンバー調査'
    endpoint: 'https://${fqdn}/api/messages'
    msaAppType: botIdentity
    msaAppId: botAppId
    msaAppTenantId: tenantId
    msaAppMSIResourceId: singleTenant ? null : identity.id
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

output botName string = bot.name
output messagingEndpoint string = 'https://${fqdn}/api/messages'
output botPublicUrl string = 'https://${fqdn}'
output microsoftAppId string = botAppId
output keyVaultName string = vault.name
output logAnalyticsWorkspace string = logs.name
