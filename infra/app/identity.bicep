// One user-assigned managed identity. main.bicep creates one per workload (Functions app, worker, KEDA scaler)
// so that each gets only the roles it needs (rbac.bicep).

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region of the identity.')
param location string

@description('Tags applied to the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output ID string = identity.id
output NAME string = identity.name
output PRINCIPAL_ID string = identity.properties.principalId
output CLIENT_ID string = identity.properties.clientId
