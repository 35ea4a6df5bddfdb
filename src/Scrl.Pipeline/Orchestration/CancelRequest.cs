using System.Text.Json;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Orchestration;

/// <summary>Payload of <see cref="EventNames.CancelRequested"/>.</summary>
/// <param name="Reason">Why, as the caller put it; recorded in the run report.</param>
public sealed record CancelRequest(string Reason)
{
    /// <summary>The reason given when a cancel request has no body.</summary>
    public const string DefaultReason = "cancelled through the API";

    /// <summary>Reads the body of <c>POST /api/runs/{id}/cancel</c>: empty, or <c>{"reason": "..."}</c>.</summary>
    /// <returns>The request, or null with the problem (the API answers 400 with it).</returns>
    public static (CancelRequest? Request, ValidationError? Problem) Read(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return (new CancelRequest(DefaultReason), null);
        try
        {
            return JsonSerializer.Deserialize<CancelRequest>(body, SpecJson.Options) is { Reason.Length: > 0 } request
                ? (request, null)
                : (null, new ValidationError("$.reason", "A cancel request needs a non-empty \"reason\"."));
        }
        catch (JsonException e)
        {
            return (null, new ValidationError(e.Path ?? "$", e.Message));
        }
    }
}
