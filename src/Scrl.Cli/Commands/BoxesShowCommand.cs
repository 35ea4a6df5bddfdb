using System.ComponentModel;
using System.Text.Json;
using Scrl.Core.Configuration;
using Scrl.Core.Data;
using Scrl.Core.Data.Loading;
using Scrl.Core.IO;
using Scrl.Core.Reporting;
using Scrl.Core.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary>
/// <c>scrl boxes show --image p</c>: the two augmented views of one image and its spatially matched box pairs, as
/// pretraining would draw them for that seed (the image as sample 0 of the first batch), written as a PNG and as
/// JSON (the boxes in view pixels, xyxy).
/// </summary>
public sealed class BoxesShowCommand(IAnsiConsole console) : Command<BoxesShowCommand.Settings>
{
    public sealed class Settings : PretrainSettings
    {
        [CommandOption("--image <PATH>")]
        [Description("A JPEG or PNG.")]
        public string Image { get; init; } = "";

        [CommandOption("-k <K>")]
        [Description("Box pairs per image (boxes.boxesPerImage).")]
        [DefaultValue(3)]
        public int K { get; init; } = 3;

        [CommandOption("--seed <SEED>")]
        [Description("The run seed (run.seed); the same seed gives the same views and boxes.")]
        [DefaultValue(0L)]
        public long Seed { get; init; }

        [CommandOption("--out <FILE>")]
        [Description("The PNG to write (default boxes.png); the boxes go beside it as .json.")]
        [DefaultValue("boxes.png")]
        public string Output { get; init; } = "boxes.png";

        public override ValidationResult Validate() =>
            Image.Length == 0 ? ValidationResult.Error("--image is required")
            : K < 1 ? ValidationResult.Error("--k must be at least 1")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.Image)) throw new FileNotFoundException($"Image '{settings.Image}' does not exist.", settings.Image);
        var config = ConfigLoader.Load(settings.Config, [.. settings.Overrides,
            $"boxes.boxesPerImage={settings.K}", FormattableString.Invariant($"run.seed={settings.Seed}")]);
        using var image = ImageDecoder.DecodeFile(settings.Image);                            // [3, H, W] uint8
        var preview = BoxPairPreview.Build([image], [0], LoaderPosition.Start, config.Augment, config.Boxes, config.Run.Seed)[0];

        string png = Path.GetFullPath(settings.Output);
        string json = Path.ChangeExtension(png, ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(png)!);
        BoxPairPicture.Save(preview, png);
        var boxes = new BoxesFile(Path.GetFullPath(settings.Image), config.Run.Seed, preview.SampleIndex, LoaderPosition.Start.Epoch,
                                  LoaderPosition.Start.BatchIndex, preview.Side, config.Boxes.BoxesPerImage, preview.Pairs);
        AtomicFile.WriteAllBytes(json, JsonSerializer.SerializeToUtf8Bytes(boxes, ScrlJson.Options));
        console.MarkupLineInterpolated($"{preview.Pairs.Count} box pairs (seed {config.Run.Seed}, {preview.Side} px views): {png}, {json}");
        if (preview.Pairs.Count == 0)
            console.MarkupLine("[yellow]the two views overlap too little for a box of the minimum size; try another --seed[/]");
        return 0;
    }

    /// <summary>The boxes as the JSON beside the picture: pairs in view pixels, xyxy, in the generator's order.</summary>
    public sealed record BoxesFile(string Image, long Seed, long SampleIndex, int Epoch, int BatchIndex, int InputSize, int BoxesPerImage,
                                   IReadOnlyList<BoxPair> Pairs);
}
