using Scrl.Pipeline.Artifacts;

namespace Scrl.Pipeline.Orchestration;

/// <summary>Names of the artifacts the orchestration itself reads and writes (stage outputs are the workers').</summary>
public static class PipelineArtifacts
{
    /// <summary><c>{stagePrefix}result.json</c>: the stage's <see cref="Jobs.JobOutcome"/>, written by the worker.</summary>
    public static string ResultManifest(string stagePrefix) => InStage(stagePrefix, "result.json");

    /// <summary><c>{stagePrefix}cancel</c>: present once the run was cancelled; workers stop at the next checkpoint.</summary>
    public static string CancelMarker(string stagePrefix) => InStage(stagePrefix, "cancel");

    /// <summary><c>runs/{runId}/report.json</c>.</summary>
    public static string RunReportJson(string runId) => ArtifactName.Validate($"runs/{ArtifactName.ValidateRunId(runId)}/report.json");

    /// <summary><c>runs/{runId}/report.md</c>.</summary>
    public static string RunReportMarkdown(string runId) => ArtifactName.Validate($"runs/{ArtifactName.ValidateRunId(runId)}/report.md");

    /// <summary><c>sweeps/{sweepId}/{fileName}</c>: leaderboard.md, leaderboard.json, leaderboard.png.</summary>
    public static string Sweep(string sweepId, string fileName) =>
        ArtifactName.Validate($"sweeps/{ArtifactName.ValidateRunId(sweepId)}/{fileName}");

    private static string InStage(string stagePrefix, string fileName)
    {
        ArtifactName.ValidatePrefix(stagePrefix);
        if (!stagePrefix.EndsWith('/')) throw new ArgumentException($"A stage prefix ends with '/', was '{stagePrefix}'.", nameof(stagePrefix));
        return ArtifactName.Validate(stagePrefix + fileName);
    }
}
