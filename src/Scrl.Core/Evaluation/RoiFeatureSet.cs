using Scrl.Core.IO;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Scrl.Core.Evaluation;

// Shapes: R RoIs, D feature size.

/// <summary>Pooled RoI features of one split with their labels and size buckets, on the CPU; owns its tensors.</summary>
/// <param name="Features">[R, D] float32.</param>
/// <param name="Labels">[R] int64 class indices.</param>
/// <param name="Sizes">[R] int64 <see cref="BoxSizeBucket"/> values.</param>
public sealed record RoiFeatureSet(Tensor Features, Tensor Labels, Tensor Sizes) : IDisposable
{
    public long Count => Labels.shape[0];

    /// <summary>Writes the set as one safetensors file (loads in PyTorch too), atomically.</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tensors = new Dictionary<string, Tensor> { ["features"] = Features, ["labels"] = Labels, ["sizes"] = Sizes };
        AtomicFile.Write(path, s => Safetensors.SaveStateDict(s, tensors, leaveOpen: true));
    }

    /// <summary>Reads a set written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file lacks one of the three tensors.</exception>
    public static RoiFeatureSet Load(string path)
    {
        var tensors = Safetensors.LoadStateDict(path);
        if (!tensors.TryGetValue("features", out var f) || !tensors.TryGetValue("labels", out var l) || !tensors.TryGetValue("sizes", out var s))
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw new InvalidDataException($"'{path}' is not a RoI feature cache (needs features, labels, sizes)");
        }
        return new RoiFeatureSet(f, l, s);
    }

    /// <summary>Concatenates per-batch parts (disposing them) into one set.</summary>
    public static RoiFeatureSet Concat(IReadOnlyList<RoiFeatureSet> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("need at least one part", nameof(parts));
        var set = new RoiFeatureSet(cat(parts.Select(p => p.Features).ToArray(), 0),     // [R, D]
                                    cat(parts.Select(p => p.Labels).ToArray(), 0),
                                    cat(parts.Select(p => p.Sizes).ToArray(), 0));
        foreach (var p in parts) p.Dispose();
        return set;
    }

    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
        Sizes.Dispose();
    }
}
