namespace Scrl.Pipeline.Reports.Correlation;

/// <summary>A linear-evaluation protocol whose top-1 is paired with downstream AP, and the run metric that holds it.</summary>
/// <param name="Name">Shown in tables and legends.</param>
/// <param name="Metric">The flat run metric, <c>{stage}.{metric}</c>, as a run report names it.</param>
public sealed record EvaluationProtocol(string Name, string Metric)
{
    /// <summary>SCRL appendix B's RoI linear protocol (<c>scrl roi-eval</c>, the pipeline's roi-eval stage, pretrained backbone).</summary>
    public static readonly EvaluationProtocol RoiLinear = new("RoI linear", "roi-eval.top1");

    /// <summary>The image-level linear protocol on global-pooled features (<c>scrl linear-eval</c>).</summary>
    public static readonly EvaluationProtocol ImageLinear = new("image linear", "linear-eval.top1");

    /// <summary>Every protocol, in legend order.</summary>
    public static IReadOnlyList<EvaluationProtocol> All { get; } = [RoiLinear, ImageLinear];
}
