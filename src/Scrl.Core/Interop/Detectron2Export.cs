using System.Globalization;
using static TorchSharp.torch;

using Scrl.Core.IO;

namespace Scrl.Core.Interop;

/// <summary>
/// Writes a backbone as a detectron2 weights file, as detectron2's
/// <c>tools/convert-torchvision-to-d2.py</c> would from the torchvision export, plus a config snippet.
/// </summary>
/// <remarks>
/// The file is <c>{"model": {d2_key: ndarray}, "__author__": "torchvision", "matching_heuristics": True}</c>.
/// Like the script, it keeps <c>num_batches_tracked</c> (int64 0-d arrays); detectron2's FrozenBatchNorm
/// has no such buffer and its checkpointer reports them as unused, which is harmless.
/// </remarks>
public static class Detectron2Export
{
    /// <summary>Validates the keys, writes <paramref name="path"/> (.pkl) and a config snippet beside it (.yaml).</summary>
    /// <param name="backbone">Torchvision-keyed trunk weights (no <c>fc.*</c>), on any device.</param>
    /// <param name="path">Destination <c>.pkl</c>; replaced if it exists.</param>
    /// <returns>The path of the config snippet.</returns>
    /// <exception cref="CheckpointMismatchException">The keys are not exactly one torchvision ResNet trunk.</exception>
    public static string Save(IReadOnlyDictionary<string, Tensor> backbone, string path)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var layout = ResNetLayout.Match(backbone.Keys, $"backbone for '{path}'");

        using (var scope = NewDisposeScope())
        {
            var arrays = layout.BackboneKeys().Select(k => (Key: k, Tensor: backbone[k].detach().cpu().contiguous())).ToList();
            AtomicFile.Write(path, stream => WritePickle(stream, arrays));
        }

        string configPath = Path.ChangeExtension(path, ".yaml");
        string config = ConfigSnippet(layout, Path.GetFileName(path));
        AtomicFile.WriteAllBytes(configPath, System.Text.Encoding.UTF8.GetBytes(config));
        return configPath;
    }

    /// <summary>The key rename of <c>convert-torchvision-to-d2.py</c>, replacement for replacement.</summary>
    public static string KeyFor(string torchvisionKey)
    {
        string k = torchvisionKey;
        if (!k.Contains("layer", StringComparison.Ordinal)) k = "stem." + k;
        for (int t = 1; t <= 4; t++) k = k.Replace($"layer{t}", $"res{t + 1}", StringComparison.Ordinal);
        for (int t = 1; t <= 3; t++) k = k.Replace($"bn{t}", $"conv{t}.norm", StringComparison.Ordinal);
        k = k.Replace("downsample.0", "shortcut", StringComparison.Ordinal);
        return k.Replace("downsample.1", "shortcut.norm", StringComparison.Ordinal);
    }

    private static void WritePickle(Stream stream, IReadOnlyList<(string Key, Tensor Tensor)> arrays)
    {
        var pickle = new PickleWriter(stream);
        pickle.Begin();
        pickle.EmptyDict();
        pickle.Mark();

        pickle.Unicode("model");
        pickle.EmptyDict();
        pickle.Mark();
        foreach (var (key, tensor) in arrays)
        {
            pickle.Unicode(KeyFor(key));
            NumpyArrayPickle.Write(pickle, tensor, key);
        }
        pickle.SetItems();

        pickle.Unicode("__author__");
        pickle.Unicode("torchvision");
        // Tells detectron2's checkpointer to align names by suffix, as for its own converted models.
        pickle.Unicode("matching_heuristics");
        pickle.Bool(true);
        pickle.SetItems();
        pickle.End();
    }

    /// <summary>The config changes the converter's docstring asks for: torchvision models expect RGB in [0,255] normalised by ImageNet stats.</summary>
    private static string ConfigSnippet(ResNetLayout layout, string weightsFile)
    {
        var lines = new List<string>
        {
            "# detectron2 config for weights exported by Scrl.Cloud (torchvision ResNet layout).",
            "# Merge into your config; WEIGHTS is relative to where detectron2 runs.",
            "MODEL:",
            $"  WEIGHTS: \"{weightsFile}\"",
            "  PIXEL_MEAN: [123.675, 116.280, 103.530]",
            "  PIXEL_STD: [58.395, 57.120, 57.375]",
            "  RESNETS:",
            $"    DEPTH: {layout.Depth.ToString(CultureInfo.InvariantCulture)}",
            "    STRIDE_IN_1X1: False",
        };
        // detectron2 asserts this for BasicBlock ResNets (its default of 256 is for bottlenecks).
        if (!layout.Bottleneck) lines.Add("    RES2_OUT_CHANNELS: 64");
        lines.AddRange(["INPUT:", "  FORMAT: \"RGB\"", ""]);
        return string.Join("\n", lines);
    }
}
