using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Orchestration;

/// <summary>How one stage of a run ended, after its retries.</summary>
/// <param name="Stage">Stage name and artifact folder: <c>pretrain</c>, <c>finetune-faster-rcnn-coco-det-1x</c>, ...</param>
/// <param name="Attempts">Attempts made, the last included.</param>
/// <param name="Reason">Why the last attempt failed or the stage was cancelled; null on success.</param>
/// <param name="RescuedFromManifest">The outcome came from <c>result.json</c> after the callback never arrived.</param>
public sealed record StageResult(
    string Stage,
    StageKind Kind,
    JobStatus Status,
    int Attempts,
    string? Reason,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<string> Artifacts,
    bool RescuedFromManifest);
