using System.Text.Json;
using Microsoft.DurableTask;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Activities;

/// <summary>
/// Reads <c>{artifactPrefix}result.json</c>, the <see cref="JobOutcome"/> a worker writes before it reports back.
/// Returns null when there is none. The orchestrator calls it when a job's deadline passes without a callback: a
/// present manifest means the job ended and only its callback was lost.
/// </summary>
/// <exception cref="InvalidDataException">The manifest exists but is not a JobOutcome.</exception>
public sealed class ReadResultManifestActivity(IArtifactStore store) : TaskActivity<string, JobOutcome?>
{
    public override async Task<JobOutcome?> RunAsync(TaskActivityContext context, string artifactPrefix)
    {
        string name = PipelineArtifacts.ResultManifest(artifactPrefix);
        Stream stream;
        try
        {
            stream = await store.OpenReadAsync(name).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await JsonSerializer.DeserializeAsync<JobOutcome>(stream, SpecJson.Options).ConfigureAwait(false)
                       ?? throw new InvalidDataException($"Result manifest {name} is null.");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"Result manifest {name} is not a job outcome: {e.Message}", e);
            }
        }
    }
}
