namespace Scrl.Core.Training;

/// <summary>
/// Where a run (pretraining or fine-tuning) keeps its files; the same names locally and under its stage's prefix,
/// e.g. <c>runs/{runId}/pretrain/</c>, in Blob storage.
/// </summary>
public sealed record RunLayout(string Root)
{
    public string Config => Path.Combine(Root, "config.json");
    public string Checkpoints => Path.Combine(Root, "checkpoints");
    public string Metrics => Path.Combine(Root, "metrics.jsonl");
    public string TensorBoard => Path.Combine(Root, "tensorboard");
    public string Report => Path.Combine(Root, "report");
    public string Summary => Path.Combine(Root, "summary.json");

    /// <summary>A fine-tuned detector's scores on its val split: detections.json and summary.txt.</summary>
    public string Evaluation => Path.Combine(Root, "evaluation");
}
