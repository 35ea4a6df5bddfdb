// Every role assignment of the environment, each at the narrowest scope that works:
//   Functions app  - host storage, Durable Task (Azure Storage provider), posting jobs, telemetry;
//   worker         - pulling its image, reading and writing artifacts, receiving jobs, reporting outcomes, telemetry
//                    (the CPU and the GPU worker apps both run as this identity: the same code, other queues);
//   KEDA scaler    - reading the job queues' message counts;
//   deployer       - (optional) uploading datasets and reading reports in the artifacts container.
// Names are guid(scope, identity, role), all known before deployment, so re-provisioning is idempotent and
// what-if can predict them.

@description('Name of the storage account.')
param storageAccountName string

@description('Blob container of the run artifacts.')
param artifactsContainerName string

@description('Storage queue the worker reports job outcomes to.')
param outcomesQueueName string

@description('Name of the Service Bus namespace.')
param serviceBusNamespaceName string

@description('Service Bus job queues (one per worker stage).')
param jobQueueNames string[]

@description('Name of the container registry.')
param registryName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Name of the Functions app\'s user-assigned identity.')
param functionsIdentityName string

@description('Name of the worker\'s user-assigned identity.')
param workerIdentityName string

@description('Name of the user-assigned identity the KEDA scale rules use.')
param scalerIdentityName string

@description('Principal id of a person or pipeline that may read and write artifacts; empty for none.')
param userPrincipalId string

@description('Principal type of userPrincipalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param userPrincipalType string

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageQueueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource functionsIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: functionsIdentityName
}

resource workerIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: workerIdentityName
}

resource scalerIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: scalerIdentityName
}

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName

  resource blobServices 'blobServices' existing = {
    name: 'default'

    resource artifacts 'containers' existing = {
      name: artifactsContainerName
    }
  }

  resource queueServices 'queueServices' existing = {
    name: 'default'

    resource outcomes 'queues' existing = {
      name: outcomesQueueName
    }
  }
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource jobQueues 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' existing = [
  for queueName in jobQueueNames: {
    parent: serviceBus
    name: queueName
  }
]

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' existing = {
  name: registryName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// ---- Functions app ----

// Storage Blob Data Owner: the Functions host (AzureWebJobsStorage) needs it for its lease and secret blobs,
// Flex Consumption for the deployment container, Durable Task for its lease blobs; the app also writes reports.
resource functionsBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, functionsIdentity.id, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: functionsIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Queue Data Contributor: Durable Task creates and works its control and work-item queues, and the
// outcomes queue trigger reads and deletes messages.
resource functionsQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, functionsIdentity.id, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: functionsIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Table Data Contributor: Durable Task keeps orchestration history and instances in tables.
resource functionsTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, functionsIdentity.id, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: functionsIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Azure Service Bus Data Sender, on each job queue: orchestrations post jobs.
resource functionsJobSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (queueName, i) in jobQueueNames: {
    name: guid(jobQueues[i].id, functionsIdentity.id, roles.serviceBusDataSender)
    scope: jobQueues[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
      principalId: functionsIdentity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Monitoring Metrics Publisher: telemetry ingestion with Entra auth (local auth is off on the component).
resource functionsTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, functionsIdentity.id, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: functionsIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---- Worker ----

// AcrPull: the container app pulls the worker image with the worker identity.
resource workerAcrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, workerIdentity.id, roles.acrPull)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
    principalId: workerIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Blob Data Contributor, on the artifacts container only: shards, checkpoints, results, and the blob
// leases that claim a job.
resource workerArtifacts 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobServices::artifacts.id, workerIdentity.id, roles.storageBlobDataContributor)
  scope: storage::blobServices::artifacts
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: workerIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Queue Data Message Sender, on the outcomes queue only: the worker reports how each job ended.
resource workerOutcomeSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::queueServices::outcomes.id, workerIdentity.id, roles.storageQueueDataMessageSender)
  scope: storage::queueServices::outcomes
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataMessageSender)
    principalId: workerIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Azure Service Bus Data Receiver, on each job queue: receive, renew locks, complete, abandon, dead-letter.
resource workerJobReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (queueName, i) in jobQueueNames: {
    name: guid(jobQueues[i].id, workerIdentity.id, roles.serviceBusDataReceiver)
    scope: jobQueues[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver)
      principalId: workerIdentity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Monitoring Metrics Publisher: the worker's telemetry.
resource workerTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, workerIdentity.id, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: workerIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---- KEDA scaler ----

// Azure Service Bus Data Owner, on each job queue: KEDA's azure-servicebus scaler reads a queue's message
// count through the entity management API, which needs the Manage claim, and no narrower built-in role
// carries it. It is scoped to the queues and held by an identity that only the scale rules use.
resource scalerQueueReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (queueName, i) in jobQueueNames: {
    name: guid(jobQueues[i].id, scalerIdentity.id, roles.serviceBusDataOwner)
    scope: jobQueues[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataOwner)
      principalId: scalerIdentity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// ---- Deployer (optional) ----

// Storage Blob Data Contributor, on the artifacts container only: upload datasets, read reports.
resource userArtifacts 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(storage::blobServices::artifacts.id, userPrincipalId, roles.storageBlobDataContributor)
  scope: storage::blobServices::artifacts
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: userPrincipalId
    principalType: userPrincipalType
  }
}
