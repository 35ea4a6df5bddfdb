using System.ComponentModel;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary>Options shared by every command that builds a pretraining config.</summary>
public class PretrainSettings : CommandSettings
{
    [CommandOption("-c|--config <PRESET_OR_FILE>")]
    [Description("A preset (demo, scrl_200ep, scrl_1000ep, byol_200ep, byol_1000ep) or a JSON config file.")]
    [DefaultValue("demo")]
    public string Config { get; init; } = "demo";

    [CommandOption("--set <KEY=VALUE>")]
    [Description("Override a config key, e.g. --set optim.baseLearningRate=0.3 (repeatable).")]
    public string[] Overrides { get; init; } = [];

    [CommandOption("-d|--device <DEVICE>")]
    [Description("cpu or cuda[[:n]].")]
    [DefaultValue("cpu")]
    public string Device { get; init; } = "cpu";
}
