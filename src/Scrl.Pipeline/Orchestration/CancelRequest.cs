namespace Scrl.Pipeline.Orchestration;

/// <summary>Payload of <see cref="EventNames.CancelRequested"/>.</summary>
/// <param name="Reason">Why, as the caller put it; recorded in the run report.</param>
public sealed record CancelRequest(string Reason);
