using System.Diagnostics;

namespace Scrl.Core.Tests.Support;

/// <summary>
/// Runs a script from <c>golden/</c> under Debian's PyTorch 1.13 (the oracle for interop tests).
/// Missing Python or packages fail the test with the install command: these tests never skip.
/// </summary>
public static class PythonOracle
{
    private const string InstallHint = "install the oracle with: apt-get install python3-torch python3-torchvision python3-numpy libopenblas0 " +
                                       "(or point SCRL_PYTHON at a python with torch and torchvision)";

    /// <summary>SCRL_PYTHON if set, else the system python that Debian's python3-torch installs into.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("SCRL_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    /// <summary>Runs <c>golden/{script}</c> with <paramref name="args"/>; returns stdout, fails the test on a non-zero exit.</summary>
    public static string Run(string script, params string[] args)
    {
        if (!File.Exists(Executable)) Assert.Fail($"Python not found at '{Executable}'; {InstallHint}.");
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Golden.PathOf(script));
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["OMP_NUM_THREADS"] = "1";   // the test host shares few cores

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{script} did not finish within 120 s.");
        }
        if (process.ExitCode != 0)
        {
            string error = stderr.Result;
            string hint = error.Contains("ModuleNotFoundError", StringComparison.Ordinal) ? $"{Environment.NewLine}{InstallHint}." : "";
            Assert.Fail($"{script} exited with {process.ExitCode}:{Environment.NewLine}{error}{hint}");
        }
        return stdout.Result;
    }
}
