// Scrl.Cloud on Azure: the Durable Functions app that runs the pipeline, the CPU and GPU workers that run the jobs,
// and what they share (storage, Service Bus, registry, monitoring, identities and their roles).
// Deploy with `azd up`; see README.md.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region of every resource. It must offer Flex Consumption and Container Apps serverless GPUs of the chosen type (for example westus3, australiaeast, swedencentral).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Serverless GPU of each worker replica: NVIDIA T4 (16 GB) or A100 (80 GB).')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

@description('Most GPU worker replicas; keep it within the subscription\'s serverless GPU quota.')
@minValue(1)
@maxValue(100)
param workerMaxReplicas int = 2

@description('Most CPU worker replicas (shard and RoI evaluation jobs).')
@minValue(1)
@maxValue(100)
param cpuWorkerMaxReplicas int = 4

@description('GPU worker image that azd deployed last (SERVICE_WORKER_IMAGE_NAME); empty before the first deploy.')
param workerImageName string = ''

@description('CPU worker image that azd deployed last (SERVICE_WORKER_CPU_IMAGE_NAME); empty before the first deploy.')
param cpuWorkerImageName string = ''

@description('Object id of the person or pipeline deploying, granted artifact read/write to upload datasets; empty for none.')
param principalId string = deployer().objectId

@description('Principal type of principalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

// Every name is fixed here, before deployment, so that modules (rbac.bicep above all) can take names rather
// than outputs: role assignment names and scopes are then known up front, and what-if predicts them exactly.
var functionsIdentityName = '${abbrs.managedIdentityUserAssignedIdentities}func-${resourceToken}'
var workerIdentityName = '${abbrs.managedIdentityUserAssignedIdentities}worker-${resourceToken}'
var scalerIdentityName = '${abbrs.managedIdentityUserAssignedIdentities}scaler-${resourceToken}'
var storageAccountName = '${abbrs.storageStorageAccounts}${resourceToken}'
var serviceBusNamespaceName = '${abbrs.serviceBusNamespaces}${resourceToken}'
var registryName = '${abbrs.containerRegistryRegistries}${resourceToken}'
var logAnalyticsName = '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
var applicationInsightsName = '${abbrs.insightsComponents}${resourceToken}'
var functionAppName = '${abbrs.webSitesFunctions}${resourceToken}'
var functionPlanName = '${abbrs.webServerFarms}${resourceToken}'
var containerAppsEnvironmentName = '${abbrs.appManagedEnvironments}${resourceToken}'
var workerAppName = '${abbrs.appContainerApps}worker-${resourceToken}'
var cpuWorkerAppName = '${abbrs.appContainerApps}cpu-${resourceToken}'
var artifactsContainerName = 'artifacts'
var deploymentContainerName = 'app-package-${resourceToken}'
var outcomesQueueName = 'outcomes'
// The stage queues of Scrl.Pipeline's StageQueues.Default: shard and roi-eval feed the CPU workers, pretrain and
// finetune the GPU workers.
var shardQueueName = 'shard'
var pretrainQueueName = 'pretrain'
var roiEvalQueueName = 'roi-eval'
var finetuneQueueName = 'finetune'
var jobQueueNames = [
  shardQueueName
  pretrainQueueName
  roiEvalQueueName
  finetuneQueueName
]

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module functionsIdentity 'app/identity.bicep' = {
  name: 'functionsIdentity'
  scope: rg
  params: {
    name: functionsIdentityName
    location: location
    tags: tags
  }
}

module workerIdentity 'app/identity.bicep' = {
  name: 'workerIdentity'
  scope: rg
  params: {
    name: workerIdentityName
    location: location
    tags: tags
  }
}

module scalerIdentity 'app/identity.bicep' = {
  name: 'scalerIdentity'
  scope: rg
  params: {
    name: scalerIdentityName
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: logAnalyticsName
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: storageAccountName
    location: location
    tags: tags
    artifactsContainerName: artifactsContainerName
    deploymentContainerName: deploymentContainerName
    outcomesQueueName: outcomesQueueName
  }
}

module serviceBus 'app/servicebus.bicep' = {
  name: 'servicebus'
  scope: rg
  params: {
    name: serviceBusNamespaceName
    location: location
    tags: tags
    queueNames: jobQueueNames
  }
}

module registry 'app/registry.bicep' = {
  name: 'registry'
  scope: rg
  params: {
    name: registryName
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storageAccountName
    artifactsContainerName: artifactsContainerName
    outcomesQueueName: outcomesQueueName
    serviceBusNamespaceName: serviceBusNamespaceName
    jobQueueNames: jobQueueNames
    registryName: registryName
    applicationInsightsName: applicationInsightsName
    functionsIdentityName: functionsIdentityName
    workerIdentityName: workerIdentityName
    scalerIdentityName: scalerIdentityName
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
  // Names carry no dependency: wait for everything the assignments point at.
  dependsOn: [
    functionsIdentity
    workerIdentity
    scalerIdentity
    monitoring
    storage
    serviceBus
    registry
  ]
}

module functions 'app/functions.bicep' = {
  name: 'functions'
  scope: rg
  params: {
    name: functionAppName
    planName: functionPlanName
    location: location
    tags: tags
    identityId: functionsIdentity.outputs.ID
    identityClientId: functionsIdentity.outputs.CLIENT_ID
    storageAccountName: storageAccountName
    deploymentContainerName: deploymentContainerName
    artifactsContainerName: artifactsContainerName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.FULLY_QUALIFIED_NAMESPACE
    shardQueueName: shardQueueName
    pretrainQueueName: pretrainQueueName
    roiEvalQueueName: roiEvalQueueName
    finetuneQueueName: finetuneQueueName
    applicationInsightsConnectionString: monitoring.outputs.APPLICATION_INSIGHTS_CONNECTION_STRING
  }
  // The host starts on identity-based storage: its roles must exist first.
  dependsOn: [
    storage
    rbac
  ]
}

module worker 'app/worker.bicep' = {
  name: 'worker'
  scope: rg
  params: {
    environmentName: containerAppsEnvironmentName
    appName: workerAppName
    cpuAppName: cpuWorkerAppName
    location: location
    tags: tags
    gpuProfileType: gpuProfileType
    maxReplicas: workerMaxReplicas
    cpuMaxReplicas: cpuWorkerMaxReplicas
    imageName: workerImageName
    cpuImageName: cpuWorkerImageName
    registryLoginServer: registry.outputs.LOGIN_SERVER
    workerIdentityId: workerIdentity.outputs.ID
    workerIdentityClientId: workerIdentity.outputs.CLIENT_ID
    scalerIdentityId: scalerIdentity.outputs.ID
    logAnalyticsWorkspaceId: monitoring.outputs.LOG_ANALYTICS_WORKSPACE_ID
    applicationInsightsConnectionString: monitoring.outputs.APPLICATION_INSIGHTS_CONNECTION_STRING
    storageBlobEndpoint: storage.outputs.BLOB_ENDPOINT
    storageQueueEndpoint: storage.outputs.QUEUE_ENDPOINT
    outcomesQueueName: outcomesQueueName
    serviceBusNamespaceName: serviceBusNamespaceName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.FULLY_QUALIFIED_NAMESPACE
    shardQueueName: shardQueueName
    pretrainQueueName: pretrainQueueName
    roiEvalQueueName: roiEvalQueueName
    finetuneQueueName: finetuneQueueName
  }
  // AcrPull and the scaler's queue role must exist before the first revision pulls and scales.
  dependsOn: [
    rbac
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
// azd pushes the worker image here.
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.LOGIN_SERVER
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.NAME
output AZURE_CONTAINER_APPS_ENVIRONMENT_NAME string = worker.outputs.ENVIRONMENT_NAME
output SERVICE_FUNCTIONS_NAME string = functions.outputs.NAME
output SERVICE_WORKER_NAME string = worker.outputs.APP_NAME
output SERVICE_WORKER_CPU_NAME string = worker.outputs.CPU_APP_NAME
output SCRL_API_URL string = 'https://${functions.outputs.DEFAULT_HOST_NAME}/api'
output SCRL_TASK_HUB_NAME string = functions.outputs.TASK_HUB_NAME
output SCRL_STORAGE_SERVICE_URI string = storage.outputs.BLOB_ENDPOINT
output SCRL_STORAGE_CONTAINER string = storage.outputs.ARTIFACTS_CONTAINER_NAME
output SCRL_SERVICEBUS_NAMESPACE string = serviceBus.outputs.FULLY_QUALIFIED_NAMESPACE
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.APPLICATION_INSIGHTS_CONNECTION_STRING
