using System.Runtime.InteropServices;
using Spectre.Console;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace Scrl.Cli.Commands;

public sealed class DoctorCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken)
    {
        var table = new Table().AddColumns("check", "value");
        table.AddRow("runtime", RuntimeInformation.FrameworkDescription);
        table.AddRow("os", RuntimeInformation.OSDescription);
        table.AddRow("cpu cores", Environment.ProcessorCount.ToString());
        table.AddRow("torch threads (intra / inter)", $"{get_num_threads()} / {get_num_interop_threads()}");
        table.AddRow("cuda available", cuda.is_available() ? $"yes ({cuda.device_count()} device(s))" : "no");
        table.AddRow("jpeg decoder", Markup.Escape(Scrl.Core.Data.ImageDecoder.JpegBackend));
        table.AddRow("libtorch backend", typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "?");
        AnsiConsole.Write(table);
        return 0;
    }
}
