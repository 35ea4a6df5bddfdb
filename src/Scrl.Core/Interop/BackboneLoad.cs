using static TorchSharp.torch;

namespace Scrl.Core.Interop;

/// <summary>Strict, all-problems-at-once copy of a state dict into a module.</summary>
public static class BackboneLoad
{
    /// <summary>
    /// Copies <paramref name="weights"/> into the parameters and persistent buffers of <paramref name="module"/>
    /// (converting dtype and device as needed). Nothing is copied unless every key and shape matches.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">Lists all missing, unexpected and mis-shaped keys.</exception>
    public static void Into(nn.Module module, IReadOnlyDictionary<string, Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(weights);
        var targets = module.state_dict();   // live parameters and buffers, not copies

        var missing = targets.Keys.Where(k => !weights.ContainsKey(k)).ToList();
        var unexpected = weights.Keys.Where(k => !targets.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var shapeMismatches = targets
            .Where(t => weights.TryGetValue(t.Key, out var w) && !w.shape.SequenceEqual(t.Value.shape))
            .Select(t => $"{t.Key}: checkpoint [{string.Join(", ", weights[t.Key].shape)}] vs module [{string.Join(", ", t.Value.shape)}]")
            .ToList();
        if (missing.Count + unexpected.Count + shapeMismatches.Count > 0)
            throw new CheckpointMismatchException($"loading into {module.GetName()}", missing, unexpected, shapeMismatches);

        using var noGrad = no_grad();
        foreach (var (key, target) in targets) target.copy_(weights[key]);
    }
}
