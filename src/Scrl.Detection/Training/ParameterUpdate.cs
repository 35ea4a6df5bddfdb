using static TorchSharp.torch;

namespace Scrl.Detection.Training;

/// <summary>
/// The optimizer of a fine-tuning run, written out so that its state is plain tensors that go into the checkpoint
/// under <see cref="DetectorCheckpoint.OptimizerPrefix"/> and resume exactly.
/// </summary>
public abstract class ParameterUpdate
{
    protected ParameterUpdate(IReadOnlyList<(string Name, Tensor Parameter)> trainable, FinetuneOptions options)
    {
        Trainable = trainable;
        Options = options;
    }

    protected IReadOnlyList<(string Name, Tensor Parameter)> Trainable { get; }

    protected FinetuneOptions Options { get; }

    /// <summary>Every state tensor under its checkpoint key.</summary>
    public abstract IReadOnlyDictionary<string, Tensor> State { get; }

    public static ParameterUpdate For(FinetuneOptimizer optimizer, IReadOnlyList<(string Name, Tensor Parameter)> trainable, FinetuneOptions options) =>
        optimizer switch
        {
            FinetuneOptimizer.Sgd => new SgdUpdate(trainable, options),
            FinetuneOptimizer.AdamW => new AdamWUpdate(trainable, options),
            _ => throw new ArgumentOutOfRangeException(nameof(optimizer), optimizer, "unknown optimizer"),
        };

    /// <summary>Updates every parameter that has a gradient.</summary>
    /// <param name="step">0-based optimizer step (AdamW's bias correction counts from 1).</param>
    public abstract void Apply(double learningRate, long step);

    /// <summary>torch.nn.utils.clip_grad_norm_ (PyTorch 1.13): every gradient scaled by min(1, max / (total L2 norm + 1e-6)), on the device.</summary>
    public void ClipGradients(double maxNorm)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var grads = Trainable.Select(t => t.Parameter.grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return;
        var total = stack(grads.Select(g => g.norm()).ToList()).norm();
        var factor = (maxNorm / (total + 1e-6)).clamp_max(1.0);
        foreach (var g in grads) g.mul_(factor);
    }

    /// <summary>Copies the state a checkpoint saved from <see cref="State"/>.</summary>
    /// <exception cref="InvalidDataException">A state tensor is missing: the checkpoint was trained with another optimizer.</exception>
    public void Restore(IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        using var noGrad = no_grad();
        foreach (var (key, buffer) in State)
        {
            if (!tensors.TryGetValue(key, out var saved))
                throw new InvalidDataException($"checkpoint {source} lacks optimizer state '{key}'");
            buffer.copy_(saved);
        }
    }

    protected Dictionary<string, Tensor> Buffers() =>
        Trainable.ToDictionary(t => t.Name, t => zeros_like(t.Parameter).DetachFromDisposeScope());
}

/// <summary>torch.optim.SGD (dampening 0, no Nesterov): buf = m * buf + (grad + wd * p); p -= lr * buf.</summary>
public sealed class SgdUpdate : ParameterUpdate
{
    private const string Prefix = DetectorCheckpoint.OptimizerPrefix + "momentum.";
    private readonly Dictionary<string, Tensor> _momentum;

    public SgdUpdate(IReadOnlyList<(string Name, Tensor Parameter)> trainable, FinetuneOptions options) : base(trainable, options) =>
        _momentum = Buffers();

    public override IReadOnlyDictionary<string, Tensor> State => _momentum.ToDictionary(kv => Prefix + kv.Key, kv => kv.Value);

    public override void Apply(double learningRate, long step)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in Trainable)
        {
            using var scope = NewDisposeScope();   // per tensor: temporaries never add up to the model's size
            if (p.grad is null) continue;
            _momentum[name].mul_(Options.Momentum).add_(p.grad.add(p, alpha: Options.WeightDecay));
            p.add_(_momentum[name], alpha: -learningRate);
        }
    }
}

/// <summary>
/// torch.optim.AdamW (PyTorch 1.13, betas 0.9 and 0.999, eps 1e-8): p *= 1 - lr * wd; m, v the running moments of the
/// gradient and its square; p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
/// </summary>
public sealed class AdamWUpdate : ParameterUpdate
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
    private const string AvgPrefix = DetectorCheckpoint.OptimizerPrefix + "exp_avg.";
    private const string SquarePrefix = DetectorCheckpoint.OptimizerPrefix + "exp_avg_sq.";
    private readonly Dictionary<string, Tensor> _average;
    private readonly Dictionary<string, Tensor> _square;

    public AdamWUpdate(IReadOnlyList<(string Name, Tensor Parameter)> trainable, FinetuneOptions options) : base(trainable, options)
    {
        _average = Buffers();
        _square = Buffers();
    }

    public override IReadOnlyDictionary<string, Tensor> State =>
        _average.Select(kv => (AvgPrefix + kv.Key, kv.Value)).Concat(_square.Select(kv => (SquarePrefix + kv.Key, kv.Value))).ToDictionary();

    public override void Apply(double learningRate, long step)
    {
        using var noGrad = no_grad();
        long t = step + 1;
        double stepSize = learningRate / (1 - Math.Pow(Beta1, t));
        double correction2 = Math.Sqrt(1 - Math.Pow(Beta2, t));
        foreach (var (name, p) in Trainable)
        {
            using var scope = NewDisposeScope();   // per tensor, as torch's loop frees its temporaries
            if (p.grad is null) continue;
            p.mul_(1 - learningRate * Options.WeightDecay);
            _average[name].mul_(Beta1).add_(p.grad, alpha: 1 - Beta1);
            _square[name].mul_(Beta2).addcmul_(p.grad, p.grad, 1 - Beta2);
            p.addcdiv_(_average[name], _square[name].sqrt().div_(correction2).add_(Epsilon), -stepSize);
        }
    }
}
