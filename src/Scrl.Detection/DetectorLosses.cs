using static TorchSharp.torch;

namespace Scrl.Detection;

/// <summary>A detector's training losses by torchvision's loss-dict names (loss_classifier, loss_box_reg, ...).</summary>
public sealed class DetectorLosses
{
    private readonly IReadOnlyDictionary<string, Tensor> _terms;

    public DetectorLosses(IReadOnlyDictionary<string, Tensor> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0) throw new ArgumentException("a detector has at least one loss", nameof(terms));
        _terms = terms;
    }

    public IEnumerable<string> Names => _terms.Keys;

    /// <exception cref="KeyNotFoundException">The detector has no loss of that name; the message lists the ones it has.</exception>
    public Tensor this[string name] => _terms.TryGetValue(name, out var t) ? t
        : throw new KeyNotFoundException($"no loss '{name}'; this detector has {string.Join(", ", _terms.Keys)}");

    /// <summary>Sum of the terms, the quantity torchvision's reference script backpropagates.</summary>
    public Tensor Total() => _terms.Values.Aggregate((a, b) => a + b);

    /// <summary>Host values, for logging.</summary>
    public IReadOnlyDictionary<string, double> ToHost() => _terms.ToDictionary(kv => kv.Key, kv => (double)kv.Value.cpu().item<float>());
}
