// Azure Container Registry for the GPU worker image. No admin user and no anonymous pull: azd pushes with
// the deployer's Entra identity, and the worker pulls with its managed identity (AcrPull in rbac.bicep).

@description('Name of the container registry (alphanumeric, globally unique).')
param name string

@description('Azure region of the registry.')
param location string

@description('Tags applied to the registry.')
param tags object

@description('Registry SKU. Basic holds a few CUDA images comfortably; Standard or Premium add storage and throughput.')
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param sku string = 'Basic'

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
  }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

output NAME string = registry.name
output LOGIN_SERVER string = registry.properties.loginServer
