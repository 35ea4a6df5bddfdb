using Scrl.Core.Data.Synthetic;
using Spectre.Console;

namespace Scrl.Cli.Commands;

/// <summary>The embedded default dataset: synthetic shapes, generated once under <c>data/generated/</c>.</summary>
internal static class DemoData
{
    public static string DefaultRoot => Path.Combine("data", "generated", $"shapes-v{SyntheticShapesDataset.GeneratorVersion}-seed0");

    public static string FiguresRoot => Path.Combine("data", "generated", $"figures-v{SyntheticFiguresDataset.GeneratorVersion}-seed0");

    public static string EnsureGenerated(CancellationToken cancellationToken, string? root = null, SyntheticDatasetOptions? options = null)
    {
        root ??= DefaultRoot;
        if (Directory.Exists(root)) return root;
        options ??= new SyntheticDatasetOptions();
        AnsiConsole.Progress().Start(ctx =>
        {
            var task = ctx.AddTask($"generating synthetic shapes dataset (procedural, not real images) in {root}",
                                   maxValue: options.TrainImages + options.ValImages);
            SyntheticShapesDataset.Generate(options, root, new Progress<int>(n => task.Value = n), cancellationToken);
            task.Value = task.MaxValue;
        });
        return root;
    }

    /// <summary>The stick-figure keypoint set under <paramref name="root"/>, generated if absent.</summary>
    public static string EnsureFigures(CancellationToken cancellationToken, string root, SyntheticDatasetOptions options)
    {
        if (Directory.Exists(root)) return root;
        AnsiConsole.Progress().Start(ctx =>
        {
            var task = ctx.AddTask($"generating synthetic figures dataset (procedural, not real images) in {root}",
                                   maxValue: options.TrainImages + options.ValImages);
            SyntheticFiguresDataset.Generate(options, root, new Progress<int>(n => task.Value = n), cancellationToken);
            task.Value = task.MaxValue;
        });
        return root;
    }
}
