using System.Collections.Concurrent;
using System.Web;
using Azure.Core;
using Azure.Core.Pipeline;
using Scrl.Pipeline.Access;

namespace Scrl.Pipeline.Tests.Access;

/// <summary>
/// A pipeline policy that files every Blob or Queue request a client sends under the <see cref="DataPlaneAction"/>
/// it needs (REST operation to permission, as the storage roles' data actions divide them). A request it cannot
/// place is kept in <see cref="Unknown"/>, so a new kind of call fails the test instead of passing unseen.
/// </summary>
/// <param name="queues">Whether the client it is added to is a Queue client (else a Blob client).</param>
internal sealed class StorageRequestRecorder(bool queues) : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentQueue<DataPlaneAction> _actions = new();
    private readonly ConcurrentQueue<string> _unknown = new();

    public IReadOnlySet<DataPlaneAction> Actions => _actions.ToHashSet();

    public IReadOnlyCollection<string> Unknown => _unknown;

    public override void OnSendingRequest(HttpMessage message)
    {
        Request request = message.Request;
        Uri uri = request.Uri.ToUri();
        string? comp = HttpUtility.ParseQueryString(uri.Query)["comp"];
        bool container = HttpUtility.ParseQueryString(uri.Query)["restype"] == "container";
        string method = request.Method.Method;
        // Azurite's paths carry the account first: /devstoreaccount1/{container or queue}/...
        string[] segments = uri.AbsolutePath.Trim('/').Split('/');
        bool messages = segments.Length >= 3 && segments[2] == "messages";
        DataPlaneAction? action = queues
            ? (messages, method) switch
            {
                (true, "POST") => DataPlaneAction.QueueSend,
                (true, "GET" or "DELETE" or "PUT") => DataPlaneAction.QueueProcess,
                (false, "PUT") when comp is null => DataPlaneAction.QueueCreate,
                _ => null,
            }
            : (container, comp, method) switch
            {
                (true, "list", "GET") => DataPlaneAction.BlobList,
                (true, null, "PUT") => DataPlaneAction.ContainerCreate,
                (_, "lease", "PUT") => DataPlaneAction.BlobLease,
                (false, null or "block" or "blocklist" or "properties" or "metadata", "PUT") => DataPlaneAction.BlobWrite,
                (false, null or "blocklist" or "properties" or "metadata", "GET" or "HEAD") => DataPlaneAction.BlobRead,
                (false, null, "DELETE") => DataPlaneAction.BlobDelete,
                _ => null,
            };
        if (action is { } known) _actions.Enqueue(known);
        else _unknown.Enqueue($"{method} {uri.PathAndQuery}");
    }
}
