// Service Bus namespace with one queue per worker stage. Workers receive with PeekLock and renew the lock
// while a job runs; a job whose lock lapses is redelivered, and the worker's blob-lease claim keeps a
// redelivered job from running twice at once. After maxDeliveryCount deliveries a job is dead-lettered,
// and the orchestrator fails the stage with the reason. Local (SAS) auth is disabled.

@description('Name of the Service Bus namespace (6-50 characters, globally unique).')
@minLength(6)
@maxLength(50)
param name string

@description('Azure region of the namespace.')
param location string

@description('Tags applied to the namespace.')
param tags object

@description('Queues to create, one per worker stage.')
param queueNames string[]

@description('How long a received job stays locked before another receiver may take it; workers renew it well within this.')
param lockDuration string = 'PT5M'

@description('Deliveries after which a job is dead-lettered (a crash or lost lock counts as one).')
@minValue(1)
@maxValue(20)
param maxDeliveryCount int = 5

@description('How long an unreceived job stays queued before it expires into the dead-letter queue.')
param defaultMessageTimeToLive string = 'P7D'

@description('How long Service Bus remembers message ids to drop re-posted jobs.')
param duplicateDetectionWindow string = 'PT1H'

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource queues 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [
  for queueName in queueNames: {
    parent: namespace
    name: queueName
    properties: {
      lockDuration: lockDuration
      maxDeliveryCount: maxDeliveryCount
      defaultMessageTimeToLive: defaultMessageTimeToLive
      deadLetteringOnMessageExpiration: true
      // Senders set MessageId = {jobId}-{attempt}, so an activity retry that re-posts a job is dropped here.
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
      requiresSession: false
      enablePartitioning: false
    }
  }
]

output NAME string = namespace.name
output ID string = namespace.id
// The host name the SDK connects to (serviceBusEndpoint is https://<host>:443/), correct in every cloud.
output FULLY_QUALIFIED_NAMESPACE string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
output QUEUE_NAMES string[] = [for (queueName, i) in queueNames: queues[i].name]
