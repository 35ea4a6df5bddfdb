using Azure.Core;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scrl.Functions.Configuration;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Transports;

// The Functions app's composition root. Azure clients are singletons on DefaultAzureCredential: the app's
// user-assigned identity in Azure (AZURE_CLIENT_ID), the developer's credentials locally. No keys anywhere.
FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);

builder.Services.AddSingleton<IValidateOptions<ScrlFunctionsOptions>, ScrlFunctionsOptionsValidator>();
builder.Services.AddOptions<ScrlFunctionsOptions>()
    .Bind(builder.Configuration.GetSection(ScrlFunctionsOptions.SectionName))
    .ValidateOnStart();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
builder.Services.AddSingleton(services => new BlobServiceClient(
    Options(services).Storage.ServiceUri, services.GetRequiredService<TokenCredential>()));
builder.Services.AddSingleton<IArtifactStore>(services =>
{
    ScrlFunctionsOptions.StorageSettings storage = Options(services).Storage;
    BlobContainerClient container = services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(storage.Container);
    return new BlobArtifactStore(container, new BlobArtifactStoreOptions { ServiceUri = storage.ServiceUri, ContainerName = storage.Container });
});
builder.Services.AddSingleton(services => new ServiceBusClient(
    Options(services).ServiceBus.FullyQualifiedNamespace, services.GetRequiredService<TokenCredential>()));
builder.Services.AddSingleton<IJobTransport>(services => new StageQueueJobTransport(
    services.GetRequiredService<ServiceBusClient>(), Options(services).ServiceBus.Queues, services.GetRequiredService<ILoggerFactory>()));

await builder.Build().RunAsync();

static ScrlFunctionsOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<ScrlFunctionsOptions>>().Value;
