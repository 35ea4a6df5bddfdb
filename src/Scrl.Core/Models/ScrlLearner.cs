using Scrl.Core.Configuration;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Core.Models;

/// <summary>
/// Everything SCRL (or BYOL) trains: the online network and predictor, the EMA target network, and an optional
/// online linear classifier that monitors the representation without shaping it. With the contrastive objective
/// (appendix I) it is SimCLR's learner instead: the online network alone, trained with NT-Xent, and no predictor or
/// target (their keys are absent).
/// </summary>
/// <remarks>
/// Mirrors kakaobrain/scrl trainer/trainer.py SCRLTrainer._forward and trainer/base.py (target init, EMA).
/// The target keeps its own random init (not copied from online), never requires grad and stays in train mode
/// (batch-statistics BN). Keys: online.*, predictor.net.*, target.*, classifier.* (when enabled).
/// Shapes: B images per view, R boxes per view, C encoder channels, D projection size, K classes.
/// </remarks>
public sealed class ScrlLearner : nn.Module
{
    // Field names are state-dict keys: never rename.
    private readonly ScrlNetwork online;
    private readonly MlpHead? predictor;
    private readonly ScrlNetwork? target;
    private readonly Linear? classifier;

    private readonly ContrastiveOptions? _contrastive;

    /// <summary>Builds online, predictor, target and classifier in that order from the global torch generator;
    /// seed it (<c>torch.random.manual_seed</c>) first for a reproducible init.</summary>
    /// <param name="options">Network sizes.</param>
    /// <param name="contrastive">Null for the BYOL regression against an EMA target (SCRL, BYOL, input consistency);
    /// set for SimCLR's NT-Xent, which builds only the online network (and the classifier).</param>
    public ScrlLearner(ScrlLearnerOptions options, ContrastiveOptions? contrastive = null) : base(nameof(ScrlLearner))
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate().Concat(contrastive?.Validate() ?? []).ToList();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        Options = options;
        _contrastive = contrastive;
        online = CreateNetwork(options);
        if (contrastive is null)
        {
            predictor = new MlpHead(options.ProjectionSize, options.HiddenSize, options.ProjectionSize);
            target = CreateNetwork(options);
        }
        if (options.NumClasses > 0)
            classifier = nn.Linear(online.Encoder.OutputChannels, options.NumClasses);
        RegisterComponents();
        foreach (var p in target?.parameters() ?? []) p.requires_grad = false;
    }

    public ScrlLearnerOptions Options { get; }

    public ScrlNetwork Online => online;

    /// <summary>Whether there is an EMA target (and a predictor): false for the contrastive objective.</summary>
    public bool HasTarget => target is not null;

    public MlpHead Predictor => predictor ?? throw new InvalidOperationException("The contrastive learner has no predictor.");

    public ScrlNetwork Target => target ?? throw new InvalidOperationException("The contrastive learner has no target network.");

    public Linear? Classifier => classifier;

    /// <summary>The tensors the optimizer updates (online, predictor, classifier; never target), with state-dict names.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> OptimizedParameters() =>
        named_parameters().Where(n => !n.name.StartsWith("target.", StringComparison.Ordinal));

    /// <summary>Forward of both networks and all losses, ready for backward.</summary>
    /// <param name="views">View 1 then view 2, [2B, 3, S, S].</param>
    /// <param name="rois">SCRL boxes [2R, 5] (view-1 rows, then the paired view-2 rows with batch index b + B); null for BYOL.</param>
    /// <param name="labels">Class indices [B] (int64) for the online classifier; required exactly when it is enabled.</param>
    public ScrlLosses ComputeLosses(Tensor views, Tensor? rois, Tensor? labels)
    {
        if (views.dim() != 4 || views.shape[0] % 2 != 0)
            throw new ArgumentException($"Expected views [2B, 3, S, S], got [{string.Join(", ", views.shape)}].", nameof(views));
        if (rois is not null && (rois.dim() != 2 || rois.shape[0] == 0 || rois.shape[0] % 2 != 0))
            throw new ArgumentException($"Expected paired rois [2R, 5] with R > 0 (skip batches without boxes), " +
                                        $"got [{string.Join(", ", rois.shape)}].", nameof(rois));
        if ((labels is null) != (classifier is null))
            throw new ArgumentException(classifier is null ? "Labels were given but the classifier is disabled." :
                                        "The online classifier needs labels.", nameof(labels));

        // Only the losses leave this scope. Autograd alone then holds the activations it saved, and backward
        // frees each one as soon as it has used it (as in PyTorch) instead of all of them when the step ends.
        using var scope = NewDisposeScope();
        var onlineOut = online.call(views, rois);                                // projections [2R or 2B, D], pooled [2B, C]
        var regression = _contrastive is null ? RegressionToTarget(views, rois, onlineOut.Projection)
                                              : NtXentLoss.Compute(onlineOut.Projection, _contrastive.Temperature);
        if (classifier is null)
        {
            regression.MoveToOuterDisposeScope();
            return new ScrlLosses(regression, regression, null);
        }

        if (labels!.dim() != 1 || labels.shape[0] * 2 != views.shape[0])
            throw new ArgumentException($"Expected labels [B] with 2B = {views.shape[0]}, got [{string.Join(", ", labels.shape)}].", nameof(labels));
        var logits = classifier.call(onlineOut.Pooled.detach());                 // [2B, K]; stop-gradient into the encoder
        var classification = nn.functional.cross_entropy(logits, cat([labels, labels]));
        return new ScrlLosses((regression + classification).MoveToOuterDisposeScope(), regression.MoveToOuterDisposeScope(),
                              classification.MoveToOuterDisposeScope());
    }

    /// <summary>target = m*target + (1-m)*online for every parameter; BN running statistics are not averaged.</summary>
    public void UpdateTarget(double momentum)
    {
        if (momentum is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "must be in [0, 1]");
        using var noGrad = no_grad();
        foreach (var (t, o) in Target.parameters().Zip(online.parameters()))
            t.mul_(momentum).add_(o, alpha: 1 - momentum);
    }

    /// <returns>BYOL's symmetric loss between the predictor's output and the target's projections.</returns>
    private Tensor RegressionToTarget(Tensor views, Tensor? rois, Tensor onlineProjection)
    {
        var predictions = predictor!.call(onlineProjection);                     // [2R or 2B, D]
        Tensor targets;                                                          // [2R or 2B, D]
        using (no_grad())
        using (NewDisposeScope())                                                // free target activations at once
            targets = target!.call(views, rois).Projection.MoveToOuterDisposeScope();
        return ScrlLoss.Symmetric(predictions, targets);
    }

    private static ScrlNetwork CreateNetwork(ScrlLearnerOptions options) =>
        new(new ResNetBackbone(options.Backbone) { ChannelsLast = options.ChannelsLast }, options.HiddenSize, options.ProjectionSize, options.RoiPool);
}
