// The Functions app (Scrl.Functions): the HTTP API and the Durable orchestrations, on Flex Consumption.
// .NET isolated worker on .NET 10 (Flex Consumption runs dotnet-isolated 8.0, 9.0 and 10.0; Scrl.Functions
// targets net10.0 like the rest of the solution).
// Every connection is identity-based with the app's user-assigned identity: AzureWebJobsStorage (host, Durable
// Task Azure Storage provider, and the trigger on the `outcomes` queue), the deployment container, Application
// Insights, and the Scrl clients (Blob artifacts, Service Bus job queues) built with DefaultAzureCredential
// (AZURE_CLIENT_ID).

@description('Name of the function app (also its default host name).')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region of the plan and the app.')
param location string

@description('Tags applied to the plan and the app; the app also gets azd-service-name.')
param tags object

@description('Service name in azure.yaml that azd deploys to this app.')
param serviceName string = 'functions'

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (for DefaultAzureCredential and the identity-based connections).')
param identityClientId string

@description('Name of the storage account for the host, the task hub and the artifacts.')
param storageAccountName string

@description('Blob container Flex Consumption deploys the app package from.')
param deploymentContainerName string

@description('Blob container of the run artifacts.')
param artifactsContainerName string

@description('Fully qualified Service Bus namespace the app posts jobs to.')
param serviceBusFullyQualifiedNamespace string

@description('Service Bus queue of shard jobs (CPU workers).')
param shardQueueName string

@description('Service Bus queue of pretraining jobs.')
param pretrainQueueName string

@description('Service Bus queue of RoI linear evaluation jobs.')
param roiEvalQueueName string

@description('Service Bus queue of fine-tuning jobs.')
param finetuneQueueName string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Durable Task hub name: letters and digits, starting with a letter, 3-45 characters.')
@minLength(3)
@maxLength(45)
param taskHubName string = 'ScrlCloud'

@description('Most instances Flex Consumption scales the app out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Host storage, Durable Task (Azure Storage provider) and the outcomes queue trigger share this connection.
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
      // host.json reads the hub name as %ScrlTaskHub%.
      ScrlTaskHub: taskHubName
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      // DefaultAzureCredential picks the user-assigned identity by this client id.
      AZURE_CLIENT_ID: identityClientId
      Scrl__Storage__ServiceUri: storage.properties.primaryEndpoints.blob
      Scrl__Storage__Container: artifactsContainerName
      Scrl__ServiceBus__FullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
      // Shard and RoI evaluation go to the CPU workers' queues, pretraining and fine-tuning to the GPU workers'.
      Scrl__ServiceBus__Queues__Shard: shardQueueName
      Scrl__ServiceBus__Queues__Pretrain: pretrainQueueName
      Scrl__ServiceBus__Queues__RoiEval: roiEvalQueueName
      Scrl__ServiceBus__Queues__Finetune: finetuneQueueName
    }
  }
}

output NAME string = functionApp.name
output DEFAULT_HOST_NAME string = functionApp.properties.defaultHostName
output TASK_HUB_NAME string = taskHubName
