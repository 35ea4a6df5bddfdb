namespace Scrl.Core.Training;

/// <summary>Where a run keeps its files; the same names locally and under <c>runs/{runId}/pretrain/</c> in Blob storage.</summary>
public sealed record PretrainRunLayout(string Root)
{
    public string Config => Path.Combine(Root, "config.json");
    public string Checkpoints => Path.Combine(Root, "checkpoints");
    public string Metrics => Path.Combine(Root, "metrics.jsonl");
    public string TensorBoard => Path.Combine(Root, "tensorboard");
    public string Report => Path.Combine(Root, "report");
    public string Summary => Path.Combine(Root, "summary.json");
}
