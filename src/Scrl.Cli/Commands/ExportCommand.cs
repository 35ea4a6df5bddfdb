using System.ComponentModel;
using Scrl.Core.Interop;
using Scrl.Detection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

public sealed class ExportCommand(IAnsiConsole console) : Command<ExportCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<CHECKPOINT>")]
        [Description("A run folder, one of its .ckpt files (pretraining or fine-tuning), an official SCRL checkpoint, or a torchvision .pth.")]
        public string Checkpoint { get; init; } = "";

        [CommandOption("-o|--out <DIR>")]
        [Description("Output folder for backbone.pth (torchvision), backbone-d2.pkl + .yaml (detectron2); for a fine-tuned detector, detector.pth and backbone.pth.")]
        [DefaultValue("export")]
        public string Output { get; init; } = "export";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var path = ResolveCheckpoint(settings.Checkpoint);
        if (DetectorExport.Holds(path)) return ExportDetector(path, settings.Output);
        var backbone = CheckpointImport.LoadBackbone(path);
        try
        {
            Directory.CreateDirectory(settings.Output);
            var torchvision = Path.Combine(settings.Output, "backbone.pth");
            var layout = TorchvisionExport.Save(backbone, torchvision);
            var d2 = Path.Combine(settings.Output, "backbone-d2.pkl");
            var d2Config = Detectron2Export.Save(backbone, d2);
            console.MarkupLineInterpolated($"exported the ResNet-{layout.Depth} trunk of {path}");
            console.WriteLine("torchvision (strict load, fc replaced by an identity):");
            console.WriteCopyable($"import torch, torchvision; model = torchvision.models.resnet{layout.Depth}(); model.fc = torch.nn.Identity(); " +
                                  $"model.load_state_dict(torch.load(\"{Path.GetFullPath(torchvision)}\"))");
            console.WriteLine("detectron2 weights, and a config snippet to merge into yours:");
            console.WriteCopyable(Path.GetFullPath(d2));
            console.WriteCopyable(Path.GetFullPath(d2Config));
            return 0;
        }
        finally
        {
            foreach (var t in backbone.Values) t.Dispose();
        }
    }

    /// <summary>A fine-tuning checkpoint: the whole detector for torchvision, and its body.</summary>
    private int ExportDetector(string path, string output)
    {
        var exported = DetectorExport.Save(path, output);
        console.MarkupLineInterpolated($"exported the {DetectorKinds.NameOf(exported.Kind)} R{exported.Body.Depth}-FPN ({exported.NumClasses} classes) of {path}");
        console.WriteLine("torchvision (strict load):");
        console.WriteCopyable(exported.LoadSnippet);
        console.WriteLine($"its ResNet-{exported.Body.Depth} body alone (fc replaced by an identity):");
        console.WriteCopyable(Path.GetFullPath(exported.BackbonePath));
        return 0;
    }

    /// <summary>A run folder means its latest checkpoint.</summary>
    private static string ResolveCheckpoint(string path)
    {
        if (!Directory.Exists(path)) return path;
        var latest = Path.Combine(path, "checkpoints", "latest");
        if (!File.Exists(latest)) throw new FileNotFoundException($"'{path}' is a folder without checkpoints/latest; pass a checkpoint file.", latest);
        return Path.Combine(path, "checkpoints", File.ReadAllText(latest).Trim() + ".ckpt");
    }
}
