using System.Text;
using System.Text.Json;
using Microsoft.DurableTask;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Reports;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Activities;

/// <summary>Writes <c>runs/{runId}/report.json</c> and <c>report.md</c> from the stage outcomes. Returns the JSON's
/// name. Idempotent: each write replaces the artifact whole.</summary>
public sealed class WriteReportActivity(IArtifactStore store) : TaskActivity<RunReport, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        string json = PipelineArtifacts.RunReportJson(report.RunId);
        await store.UploadAsync(json, new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(report, SpecJson.Options))).ConfigureAwait(false);
        await store.UploadAsync(PipelineArtifacts.RunReportMarkdown(report.RunId),
                                new MemoryStream(Encoding.UTF8.GetBytes(RunReportMarkdown.Render(report)))).ConfigureAwait(false);
        return json;
    }
}
