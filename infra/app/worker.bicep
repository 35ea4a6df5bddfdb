// The GPU worker: a Container Apps environment with a serverless GPU workload profile, and the worker app
// (containers/worker/Dockerfile, `scrl worker`) that scales from zero on the Service Bus job queues.
// Artifacts live in the store's default container, `artifacts`.
// One replica runs one job on one GPU, so each queue's KEDA rule asks for a replica per waiting message.
// KEDA authenticates to Service Bus with the scaler identity, which the app holds for its scale rules only
// (lifecycle None: no token for it is served inside the container); the worker process uses its own identity
// (AZURE_CLIENT_ID). Logs go to Log Analytics through a diagnostic setting, so no workspace key is needed.

@description('Name of the Container Apps environment.')
param environmentName string

@description('Name of the worker container app.')
param appName string

@description('Azure region of the environment and the app (one that offers serverless GPUs).')
param location string

@description('Tags applied to the environment and the app; the app also gets azd-service-name.')
param tags object

@description('Service name in azure.yaml that azd deploys to this app.')
param serviceName string = 'worker'

@description('Serverless GPU workload profile type: one NVIDIA T4 (16 GB) or one A100 (80 GB) per replica.')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string

@description('Most replicas (GPUs) the worker scales out to; bounded by the subscription\'s serverless GPU quota.')
@minValue(1)
@maxValue(100)
param maxReplicas int

@description('Worker image. Empty on the first provision, before azd has built and pushed one; azd deploy then sets it.')
param imageName string

@description('Login server of the registry the worker image is pulled from.')
param registryLoginServer string

@description('Resource id of the identity the worker runs as (AcrPull, Blob, Service Bus receive).')
param workerIdentityId string

@description('Client id of the worker identity, for DefaultAzureCredential.')
param workerIdentityClientId string

@description('Resource id of the identity the KEDA scale rules use to read queue lengths.')
param scalerIdentityId string

@description('Seconds a stopping worker may spend uploading its last checkpoint and handing its job back (`scrl worker --shutdown-grace`); 240 s moves an R50 checkpoint (about 400 MB with its optimizer state) at 2 MB/s.')
@minValue(30)
@maxValue(540)
param shutdownGraceSeconds int = 240

@description('Resource id of the Log Analytics workspace that receives the environment\'s logs.')
param logAnalyticsWorkspaceId string

@description('Application Insights connection string for the worker\'s telemetry.')
param applicationInsightsConnectionString string

@description('Blob endpoint of the artifact store.')
param storageBlobEndpoint string

@description('Queue endpoint of the storage account.')
param storageQueueEndpoint string

@description('Storage queue the worker reports job outcomes to.')
param outcomesQueueName string

@description('Service Bus namespace name (the KEDA scaler takes the name, not the host).')
param serviceBusNamespaceName string

@description('Fully qualified Service Bus namespace the worker receives from.')
param serviceBusFullyQualifiedNamespace string

@description('Service Bus queue of pretraining jobs.')
param pretrainQueueName string

@description('Service Bus queue of RoI linear evaluation jobs.')
param roiEvalQueueName string

@description('Service Bus queue of fine-tuning jobs.')
param finetuneQueueName string

// Serverless GPU replicas get the whole profile: vCPUs and memory of NC8as_T4_v3 and NC24ads_A100_v4.
var gpuResources = {
  'Consumption-GPU-NC8as-T4': {
    cpu: json('8.0')
    memory: '56Gi'
  }
  'Consumption-GPU-NC24-A100': {
    cpu: json('24.0')
    memory: '220Gi'
  }
}
var gpuProfileName = 'gpu'
// SIGTERM to SIGKILL: the step in flight (well under a minute on a GPU), then the checkpoint upload. At most 600.
var terminationGracePeriodSeconds = shutdownGraceSeconds + 60
// azd's bootstrap image, used only until the first `azd deploy` (which `azd up` runs right after provisioning).
var bootstrapImage = 'mcr.microsoft.com/azuredocs/containerapps-helloworld:latest'
var jobQueues = [
  pretrainQueueName
  roiEvalQueueName
  finetuneQueueName
]

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      {
        name: gpuProfileName
        workloadProfileType: gpuProfileType
      }
    ]
  }
}

resource environmentLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'logs-to-workspace'
  scope: environment
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

resource worker 'Microsoft.App/containerApps@2025-01-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${workerIdentityId}': {}
      '${scalerIdentityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: gpuProfileName
    configuration: {
      activeRevisionsMode: 'Single'
      // The scaler identity serves the platform's scale rules only; code in the container gets the worker identity.
      identitySettings: [
        {
          identity: workerIdentityId
          lifecycle: 'All'
        }
        {
          identity: scalerIdentityId
          lifecycle: 'None'
        }
      ]
      // No ingress: the worker only pulls jobs.
      registries: [
        {
          server: registryLoginServer
          identity: workerIdentityId
        }
      ]
    }
    template: {
      terminationGracePeriodSeconds: terminationGracePeriodSeconds
      containers: [
        {
          name: 'worker'
          image: empty(imageName) ? bootstrapImage : imageName
          resources: gpuResources[gpuProfileType]
          // `scrl worker` (the image's entrypoint) takes its settings as options.
          args: concat(
            [
              '--transport'
              'servicebus'
              '--servicebus'
              serviceBusFullyQualifiedNamespace
              '--store'
              'blob:${storageBlobEndpoint}'
              '--outcomes-queue'
              outcomesQueueName
              '--queue-account'
              storageQueueEndpoint
              '--work-dir'
              '/tmp/scrl-work'
              '--shutdown-grace'
              string(shutdownGraceSeconds)
              // The image is the CUDA build; RoI-eval and fine-tune jobs run on the replica's GPU.
              '--device'
              'cuda'
            ],
            flatten(map(jobQueues, queueName => [
              '--queue'
              queueName
            ]))
          )
          env: [
            // DefaultAzureCredential picks the worker identity (the app also holds the scaler identity).
            { name: 'AZURE_CLIENT_ID', value: workerIdentityClientId }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
          ]
        }
      ]
      scale: {
        minReplicas: 0
        maxReplicas: maxReplicas
        rules: [
          for queueName in jobQueues: {
            name: 'jobs-${queueName}'
            custom: {
              type: 'azure-servicebus'
              identity: scalerIdentityId
              metadata: {
                namespace: serviceBusNamespaceName
                queueName: queueName
                messageCount: '1'
              }
            }
          }
        ]
      }
    }
  }
}

output ENVIRONMENT_NAME string = environment.name
output APP_NAME string = worker.name
