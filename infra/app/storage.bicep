// The one storage account of an environment. It holds
//   - blob container `artifacts`: shards, checkpoints, metrics, results and reports (runs/{runId}/..., datasets/...);
//   - the Flex Consumption deployment container (the Functions app package);
//   - the Durable Functions task hub (Azure Storage provider: its own queues, tables and lease blobs);
//   - queue `outcomes`: workers post job outcomes here, and a queue-triggered function raises the
//     orchestration's event (the return path that does not need an inbound HTTP callback).
// Shared keys are disabled: every client authenticates with Microsoft Entra ID (roles in rbac.bicep).

@description('Name of the storage account (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the storage account.')
param location string

@description('Tags applied to the storage account.')
param tags object

@description('Blob container that holds every run\'s artifacts.')
param artifactsContainerName string

@description('Blob container that Flex Consumption deploys the Functions app package from.')
param deploymentContainerName string

@description('Storage queue that carries job outcomes from workers back to the orchestrations.')
param outcomesQueueName string

@description('Redundancy of the account. LRS suffices: every artifact can be regenerated from its run spec.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
])
param skuName string = 'Standard_LRS'

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobServices 'blobServices' = {
    name: 'default'
    properties: {
      // Soft delete guards checkpoints against an accidental prefix delete.
      deleteRetentionPolicy: {
        enabled: true
        days: 7
      }
      containerDeleteRetentionPolicy: {
        enabled: true
        days: 7
      }
    }

    resource artifacts 'containers' = {
      name: artifactsContainerName
      properties: {
        publicAccess: 'None'
      }
    }

    resource deployment 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }

  resource queueServices 'queueServices' = {
    name: 'default'

    resource outcomes 'queues' = {
      name: outcomesQueueName
    }
  }
}

output NAME string = storage.name
output ID string = storage.id
output BLOB_ENDPOINT string = storage.properties.primaryEndpoints.blob
output QUEUE_ENDPOINT string = storage.properties.primaryEndpoints.queue
output TABLE_ENDPOINT string = storage.properties.primaryEndpoints.table
output ARTIFACTS_CONTAINER_NAME string = storage::blobServices::artifacts.name
output DEPLOYMENT_CONTAINER_NAME string = storage::blobServices::deployment.name
output OUTCOMES_QUEUE_NAME string = storage::queueServices::outcomes.name
