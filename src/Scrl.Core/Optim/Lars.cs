using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Core.Optim;

/// <summary>
/// LARS over SGD with momentum (no dampening, no Nesterov), as SCRL trains with it. Per tensor p with gradient g:
/// adapted tensors use d = (g + wd*p) * ratio, excluded ones d = g * lr (<see cref="LarsMode.ScrlOfficial"/>)
/// or d = g (<see cref="LarsMode.Byol"/>); then buf = momentum*buf + d (buf = d on the first step) and p -= lr*buf.
/// </summary>
/// <remarks>
/// Mirrors kakaobrain/torchlars lars.py 0.1.2 + kakaobrain/scrl optim/optim.py CustomLARS around torch.optim.SGD,
/// and deepmind-research byol/utils/optimizers.py for <see cref="LarsMode.Byol"/>. Trust ratios of all tensors are
/// computed together on the device (no host syncs). Tensors without a gradient are skipped, as in torchlars.
/// </remarks>
public sealed class Lars : IDisposable
{
    private readonly LarsOptions _options;
    private readonly LarsParameter[] _adapted;
    private readonly LarsParameter[] _excluded;
    private readonly Dictionary<string, Tensor> _momentumBuffers = new(StringComparer.Ordinal);

    public Lars(IEnumerable<LarsParameter> parameters, LarsOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        var all = parameters.ToArray();
        var duplicate = all.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Parameter name '{duplicate.Key}' appears twice.", nameof(parameters));
        _options = options;
        _adapted = all.Where(p => !p.Excluded).ToArray();
        _excluded = all.Where(p => p.Excluded).ToArray();
    }

    public LarsOptions Options => _options;

    /// <summary>Names of the tensors excluded from weight decay and adaptation, in registration order.</summary>
    public IReadOnlyList<string> ExcludedNames => _excluded.Select(p => p.Name).ToArray();

    /// <summary>Updates every parameter that has a gradient, in place, with learning rate <paramref name="learningRate"/>.</summary>
    public void Step(double learningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(learningRate);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();

        var adapted = _adapted.Where(p => p.Parameter.grad is not null).ToArray();
        if (adapted.Length > 0)
        {
            var updates = adapted.Select(p => DecayedGradient(p.Parameter)).ToArray();
            var ratios = TrustRatios(adapted, updates);                 // [P]
            for (int i = 0; i < adapted.Length; i++)
                Accumulate(adapted[i], updates[i], ratios[i], learningRate);
        }

        // ScrlOfficial: CustomLARS sets adaptive_lr = group['lr'] for the excluded group, so they step by lr².
        double excludedScale = _options.Mode == LarsMode.ScrlOfficial ? learningRate : 1.0;
        foreach (var p in _excluded)
        {
            var grad = p.Parameter.grad;
            if (grad is null) continue;
            Accumulate(p, grad, excludedScale, learningRate);
        }
    }

    /// <summary>Momentum buffers keyed by parameter name (the live tensors; copy before mutating).</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict() => _momentumBuffers;

    /// <summary>Restores momentum buffers saved by <see cref="StateDict"/>; names must match, parameters without a buffer start fresh.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var byName = _adapted.Concat(_excluded).ToDictionary(p => p.Name, p => p.Parameter, StringComparer.Ordinal);
        foreach (var (name, buffer) in state)
        {
            if (!byName.TryGetValue(name, out var parameter))
                throw new ArgumentException($"Momentum buffer '{name}' matches no optimized parameter.", nameof(state));
            if (!buffer.shape.SequenceEqual(parameter.shape))
                throw new ArgumentException($"Momentum buffer '{name}' has shape [{string.Join(", ", buffer.shape)}], " +
                                            $"parameter has [{string.Join(", ", parameter.shape)}].", nameof(state));
        }
        ClearBuffers();
        foreach (var (name, buffer) in state)
        {
            var parameter = byName[name];
            _momentumBuffers[name] = buffer.detach().to(parameter.dtype, parameter.device).clone().DetachFromDisposeScope();
        }
    }

    public void Dispose() => ClearBuffers();

    /// <returns>g + wd*p for the ScrlOfficial and Byol trust ratios alike; g itself when wd is 0.</returns>
    private Tensor DecayedGradient(Parameter p) =>
        _options.WeightDecay == 0 ? p.grad! : p.grad!.add(p, alpha: _options.WeightDecay);

    /// <returns>One trust ratio per tensor [P]; 1 where a norm is zero.</returns>
    private Tensor TrustRatios(LarsParameter[] adapted, Tensor[] updates)
    {
        var paramNorms = stack(adapted.Select(p => p.Parameter.norm()));                       // [P]
        Tensor ratio, valid;
        if (_options.Mode == LarsMode.ScrlOfficial)
        {
            // torchlars: the denominator uses ||g||, not ||g + wd*p||.
            var gradNorms = stack(adapted.Select(p => p.Parameter.grad!.norm()));              // [P]
            var divisor = gradNorms.add(paramNorms, alpha: _options.WeightDecay).add_(_options.Epsilon);
            ratio = paramNorms.div(divisor).mul_(_options.TrustCoefficient);
            valid = paramNorms.gt(0).logical_and_(gradNorms.gt(0));
        }
        else
        {
            var updateNorms = stack(updates.Select(u => u.norm()));                            // [P]
            ratio = paramNorms.mul(_options.TrustCoefficient).div_(updateNorms);
            valid = paramNorms.gt(0).logical_and_(updateNorms.gt(0));
        }
        return where(valid, ratio, ones_like(ratio));
    }

    /// <summary>buf = momentum*buf + update*scale (buf = update*scale first), then p -= lr*buf.</summary>
    private void Accumulate(LarsParameter p, Tensor update, Tensor scale, double learningRate)
    {
        if (_momentumBuffers.TryGetValue(p.Name, out var buffer))
            buffer.mul_(_options.Momentum).addcmul_(update, scale, value: 1);
        else
            _momentumBuffers[p.Name] = buffer = update.mul(scale).DetachFromDisposeScope();
        p.Parameter.add_(buffer, alpha: -learningRate);
    }

    private void Accumulate(LarsParameter p, Tensor update, double scale, double learningRate)
    {
        if (_momentumBuffers.TryGetValue(p.Name, out var buffer))
            buffer.mul_(_options.Momentum).add_(update, alpha: scale);
        else
            _momentumBuffers[p.Name] = buffer = update.mul(scale).DetachFromDisposeScope();
        p.Parameter.add_(buffer, alpha: -learningRate);
    }

    private void ClearBuffers()
    {
        foreach (var buffer in _momentumBuffers.Values) buffer.Dispose();
        _momentumBuffers.Clear();
    }
}
