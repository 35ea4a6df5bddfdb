// The workers: a Container Apps environment with a serverless GPU workload profile, and two worker apps
// (containers/worker/Dockerfile, `scrl worker`) that scale from zero on their Service Bus job queues:
//   gpu - pretraining and fine-tuning, on the serverless GPU profile, `--device cuda`;
//   cpu - sharding and RoI evaluation, on the Consumption profile, `--device cpu`.
// Pipeline code routes each stage to its pool's queues (Scrl.Pipeline StageQueues). Artifacts live in the store's
// default container, `artifacts`.
// One replica runs one job, so each queue's KEDA rule asks for a replica per waiting message.
// KEDA authenticates to Service Bus with the scaler identity, which the app holds for its scale rules only
// (lifecycle None: no token for it is served inside the container); the worker process uses its own identity
// (AZURE_CLIENT_ID). Logs go to Log Analytics through a diagnostic setting, so no workspace key is needed.

@description('Name of the Container Apps environment.')
param environmentName string

@description('Name of the GPU worker container app (pretraining, fine-tuning).')
param appName string

@description('Name of the CPU worker container app (sharding, RoI evaluation).')
param cpuAppName string

@description('Azure region of the environment and the app (one that offers serverless GPUs).')
param location string

@description('Tags applied to the environment and the app; the app also gets azd-service-name.')
param tags object

@description('Service name in azure.yaml that azd deploys to the GPU app.')
param serviceName string = 'worker'

@description('Service name in azure.yaml that azd deploys to the CPU app (the same image).')
param cpuServiceName string = 'worker-cpu'

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

@description('Most CPU worker replicas (shard and RoI evaluation jobs at once).')
@minValue(1)
@maxValue(100)
param cpuMaxReplicas int = 4

@description('GPU worker image. Empty on the first provision, before azd has built and pushed one; azd deploy then sets it.')
param imageName string

@description('CPU worker image, likewise (azd deploys the same Dockerfile as its own service).')
param cpuImageName string

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

@description('Service Bus queue of shard jobs.')
param shardQueueName string

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
// Consumption replicas of a workload-profiles environment top out at 4 vCPUs and 8 GiB.
var cpuResources = {
  cpu: json('4.0')
  memory: '8Gi'
}
var pools = [
  {
    appName: appName
    serviceName: serviceName
    imageName: imageName
    workloadProfileName: gpuProfileName
    resources: gpuResources[gpuProfileType]
    maxReplicas: maxReplicas
    device: 'cuda'
    queues: [
      pretrainQueueName
      finetuneQueueName
    ]
  }
  {
    appName: cpuAppName
    serviceName: cpuServiceName
    imageName: cpuImageName
    workloadProfileName: 'Consumption'
    resources: cpuResources
    maxReplicas: cpuMaxReplicas
    device: 'cpu'
    queues: [
      shardQueueName
      roiEvalQueueName
    ]
  }
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

resource workers 'Microsoft.App/containerApps@2025-01-01' = [for pool in pools: {
  name: pool.appName
  location: location
  tags: union(tags, { 'azd-service-name': pool.serviceName })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${workerIdentityId}': {}
      '${scalerIdentityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: pool.workloadProfileName
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
          image: empty(pool.imageName) ? bootstrapImage : pool.imageName
          resources: pool.resources
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
              // The image is the CUDA build; on the CPU pool libtorch simply finds no GPU.
              '--device'
              pool.device
            ],
            flatten(map(pool.queues, queueName => [
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
        maxReplicas: pool.maxReplicas
        rules: [
          for queueName in pool.queues: {
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
}]

output ENVIRONMENT_NAME string = environment.name
output APP_NAME string = workers[0].name
output CPU_APP_NAME string = workers[1].name
