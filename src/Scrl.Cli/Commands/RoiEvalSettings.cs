using System.ComponentModel;
using Scrl.Core.Configuration;
using Scrl.Core.Evaluation;
using Scrl.Core.Models;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary>Options shared by <c>roi-eval</c> and <c>roi-eval compare</c>: the splits and the protocol.</summary>
public class RoiEvalSettings : CommandSettings
{
    [CommandOption("--train <DIR|JSON,IMAGES>")]
    [Description("Labelled train split: a COCO root (annotations/instances_train2017.json + train2017/) or 'instances.json,imageFolder'.")]
    public string Train { get; init; } = "";

    [CommandOption("--val <DIR|JSON,IMAGES>")]
    [Description("Labelled val split, as --train (a COCO root gives instances_val2017.json + val2017/).")]
    public string Val { get; init; } = "";

    // --backbone and --out live here, not on the commands, so that `scrl roi-eval --help` lists them: Spectre shows a
    // branch's own settings there, not its default command's.
    [CommandOption("-b|--backbone <PATH|random>")]
    [Description("roi-eval: a run folder, our .ckpt, an official SCRL checkpoint, a torchvision .pth, or 'random' (the default). compare takes its backbones as arguments instead.")]
    public string? Backbone { get; init; }

    [CommandOption("-o|--out <DIR>")]
    [Description("roi-eval: where roi-eval.json and roi-eval-by-size.png go (default runs/roi-eval). compare: each backbone's report goes to <DIR>/<n>-<name>/ (default runs/roi-eval-compare).")]
    public string? Output { get; init; }

    [CommandOption("--variant <c5|fpn>")]
    [Description("c5: RoIAlign on C5 with cached features; fpn: C2..C5 concatenated, backbone BN on batch statistics.")]
    [DefaultValue("c5")]
    public string Variant { get; init; } = "c5";

    [CommandOption("--arch <ARCH>")]
    [Description("ResNet18|ResNet34|ResNet50|ResNet101. Checkpoints give their own; this picks the 'random' one (default ResNet50).")]
    public ResNetVariant? Architecture { get; init; }

    [CommandOption("--set <KEY=VALUE>")]
    [Description("Override a protocol option, e.g. --set epochs=30 --set imageSize=640 (repeatable; see docs/roi-eval.md).")]
    public string[] Overrides { get; init; } = [];

    [CommandOption("--cache <DIR>")]
    [Description("Folder for cached C5 features; later runs on the same backbone and split reuse them.")]
    public string? CacheDirectory { get; init; }

    [CommandOption("-d|--device <DEVICE>")]
    [Description("cpu or cuda[[:n]].")]
    [DefaultValue("cpu")]
    public string Device { get; init; } = "cpu";

    /// <summary>The protocol options: defaults, then --variant and --cache, then --set overrides; validated.</summary>
    public RoiEvalOptions BuildOptions()
    {
        var variant = Variant.ToLowerInvariant() switch
        {
            "c5" => RoiEvalVariant.C5,
            "fpn" => RoiEvalVariant.Fpn,
            _ => throw new ConfigException([new("--variant", $"must be c5 or fpn, was '{Variant}'")]),
        };
        var options = new RoiEvalOptions { Variant = variant, CacheDirectory = CacheDirectory ?? "" };
        return ConfigLoader.Override(options, Overrides, o => o.Validate(""));
    }

    public override Spectre.Console.ValidationResult Validate() =>
        Train.Length == 0 || Val.Length == 0
            ? Spectre.Console.ValidationResult.Error("--train and --val are required")
            : Spectre.Console.ValidationResult.Success();
}
