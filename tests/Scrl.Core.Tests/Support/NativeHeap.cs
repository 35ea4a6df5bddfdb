using System.Runtime.InteropServices;

namespace Scrl.Core.Tests.Support;

/// <summary>
/// Bytes the C allocator has handed out and not taken back. Unlike resident memory, this does not move with
/// arena fragmentation or the managed heap, so it shows a native leak and nothing else.
/// </summary>
internal static partial class NativeHeap
{
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, OrdBlks, SmBlks, HBlks, HBlkHd, UsmBlks, FsmBlks, UordBlks, FordBlks, KeepCost;
    }

    /// <summary>Small-block bytes in use in every arena plus bytes in mmapped blocks (glibc 2.33 or later).</summary>
    public static long InUseBytes()
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("native heap statistics need glibc's mallinfo2 (Linux)");
        var info = mallinfo2();
        return (long)(info.UordBlks + info.HBlkHd);
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallInfo2 mallinfo2();
}
