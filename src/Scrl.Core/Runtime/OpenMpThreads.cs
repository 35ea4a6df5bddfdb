using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Scrl.Core.Runtime;

/// <summary>
/// The intra-op thread count of one OS thread. <c>torch.set_num_threads</c> is process-wide; a background thread that
/// runs tensor ops beside the training loop (as PyTorch's DataLoader workers do, with one thread each) needs its own.
/// </summary>
/// <remarks>
/// libtorch's CPU parallelism is OpenMP, whose team size is a per-thread setting. Left alone, every loader thread runs
/// its batched ops on a team as large as the training loop's, so on a small machine the loader's teams and the
/// training's team take cores from each other and spin at each other's barriers.
/// </remarks>
public static unsafe class OpenMpThreads
{
    private static readonly string[] RuntimeNames = ["libgomp", "libiomp", "libomp"];   // GNU, Intel, LLVM
    private static readonly delegate* unmanaged<int, void> SetNumThreads = FindSetNumThreads();

    /// <summary>Runs the calling thread's later tensor ops on <paramref name="threads"/> threads.</summary>
    /// <returns>Whether it applied: false where libtorch runs without a loaded OpenMP runtime (non-Linux, or none found).</returns>
    public static bool LimitCurrentThread(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (SetNumThreads == null) return false;
        // libtorch sets each thread's team size from the process-wide count the first time the thread asks for it;
        // asking first makes that happen now rather than over the value set here.
        _ = get_num_threads();
        SetNumThreads(threads);
        return true;
    }

    // The OpenMP runtime libtorch brought in, found among the libraries this process has mapped: its file name carries
    // a build hash, so it cannot be loaded by a fixed name.
    private static delegate* unmanaged<int, void> FindSetNumThreads()
    {
        if (!OperatingSystem.IsLinux()) return null;
        _ = get_num_threads();   // loads libtorch, and with it the OpenMP runtime
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            int start = line.IndexOf('/');
            if (start < 0) continue;
            string path = line[start..];
            string name = Path.GetFileName(path);
            if (!RuntimeNames.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal))) continue;
            if (NativeLibrary.TryLoad(path, out var library) && NativeLibrary.TryGetExport(library, "omp_set_num_threads", out var export))
                return (delegate* unmanaged<int, void>)export;
        }
        return null;
    }
}
