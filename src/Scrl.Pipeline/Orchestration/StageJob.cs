using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Orchestration;

/// <summary>One worker stage of a run, ready to post: which job, with which options, under which policy.</summary>
/// <param name="Stage">Stage name and artifact folder (<c>pretrain</c>, <c>finetune-faster-rcnn-coco-det-1x</c>).</param>
/// <param name="OptionsJson">The stage's options (see <see cref="StageJobOptions"/>).</param>
internal sealed record StageJob(string RunId, string Stage, StageKind Kind, string OptionsJson, StagePolicy Policy)
{
    /// <summary>Stable across attempts, so the worker's claim and resume apply to every retry.</summary>
    public string JobId => $"{RunId}-{Stage}";

    public string ArtifactPrefix => Artifacts.ArtifactName.RunStagePrefix(RunId, Stage);
}
