namespace Scrl.Cli.Emulation;

/// <summary>Where a running Azurite answers, and the connection string for its well-known dev account.</summary>
public sealed record AzuriteEndpoints(string Host, int BlobPort, int QueuePort, int TablePort)
{
    // Azurite's documented development account: public, identical in every Azurite, not a secret.
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Connection string covering blob, queue and table.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://{Host}:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://{Host}:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://{Host}:{TablePort}/{AccountName};";
}
