using Scrl.Core.Interop;
using Scrl.Core.Models;
using Scrl.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Core.Evaluation;

/// <summary>A backbone to evaluate, with a stable identity string for reports and feature caches.</summary>
public sealed record EvalBackbone(ResNetBackbone Module, string Identity, string DisplayName) : IDisposable
{
    /// <summary>The spec that means "fresh weights from the seed".</summary>
    public const string RandomSpec = "random";

    /// <summary>
    /// Loads <paramref name="spec"/>: <c>random</c> (torchvision init drawn from <paramref name="seed"/>), a run folder
    /// (its latest checkpoint), one of our <c>.ckpt</c> files, an official SCRL checkpoint, or a torchvision
    /// <c>.pth</c> of any ResNet. The architecture of a file comes from its keys; <paramref name="architecture"/>
    /// must agree with it when given, and picks the architecture of <c>random</c> (default ResNet-50).
    /// </summary>
    public static EvalBackbone Load(string spec, ResNetVariant? architecture, long seed, Device device)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        ArgumentNullException.ThrowIfNull(device);
        if (spec.Equals(RandomSpec, StringComparison.OrdinalIgnoreCase))
        {
            var variant = architecture ?? ResNetVariant.ResNet50;
            var fresh = new ResNetBackbone(variant);
            SeededResNetInit.Apply(fresh, seed);   // a function of the seed alone, whatever other threads draw
            fresh.to(device);
            return new EvalBackbone(fresh, $"random:{variant}:seed={seed}", $"random {variant} (seed {seed})");
        }

        string path = ResolveCheckpoint(spec);
        var weights = CheckpointImport.LoadBackbone(path);
        try
        {
            var layout = ResNetLayout.Match(weights.Keys, $"'{path}'");
            var found = layout.Variant;
            if (architecture is { } wanted && wanted != found)
                throw new ArgumentException($"'{path}' holds a {found}, but --arch asks for {wanted}");
            var module = new ResNetBackbone(found);
            BackboneLoad.Into(module, weights);
            module.to(device);
            return new EvalBackbone(module, RoiFeatureCache.FileIdentity(path), path);
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }

    /// <summary>A run folder resolves to its latest checkpoint; a file resolves to itself.</summary>
    private static string ResolveCheckpoint(string spec)
    {
        if (File.Exists(spec)) return Path.GetFullPath(spec);
        if (!Directory.Exists(spec)) throw new FileNotFoundException($"Backbone '{spec}' is neither 'random', a file, nor a run folder.", spec);
        foreach (var folder in new[] { new RunLayout(spec).Checkpoints, spec })
        {
            string latest = Path.Combine(folder, "latest");
            if (File.Exists(latest)) return Path.GetFullPath(Path.Combine(folder, File.ReadAllText(latest).Trim() + ".ckpt"));
        }
        throw new FileNotFoundException($"Run folder '{spec}' has no checkpoints/latest.", spec);
    }

    public void Dispose() => Module.Dispose();
}
