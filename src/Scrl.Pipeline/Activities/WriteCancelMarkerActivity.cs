using System.Text;
using Microsoft.DurableTask;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Orchestration;

namespace Scrl.Pipeline.Activities;

/// <summary>Where to signal cancellation, and why.</summary>
public sealed record CancelMarker(string ArtifactPrefix, string Reason);

/// <summary>
/// Writes <c>{artifactPrefix}cancel</c>, which workers poll at checkpoint boundaries: the job then checkpoints and
/// stops, whether it is running now or picked up later from the queue. Returns the marker's name. Idempotent.
/// </summary>
public sealed class WriteCancelMarkerActivity(IArtifactStore store) : TaskActivity<CancelMarker, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, CancelMarker marker)
    {
        ArgumentNullException.ThrowIfNull(marker);
        string name = PipelineArtifacts.CancelMarker(marker.ArtifactPrefix);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(marker.Reason + "\n"));
        await store.UploadAsync(name, content).ConfigureAwait(false);
        return name;
    }
}
