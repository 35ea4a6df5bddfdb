using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Scrl.Pipeline.Artifacts;

/// <summary>
/// An artifact's MD5 kept in an extended attribute of its own file (Linux <c>user.</c> namespace), so that a reader
/// that opened the file gets the hash of exactly that content, however the name is replaced meanwhile. Best effort:
/// where the file system or OS has no user attributes, nothing is stored and the sidecar is what remains.
/// </summary>
internal static partial class FileMd5Attribute
{
    private const string AttributeName = "user.scrl.md5";
    private const int Md5Bytes = 16;

    /// <summary>Stores <paramref name="md5"/> on the file at <paramref name="path"/>; false where that is not possible.</summary>
    public static bool TryWrite(string path, byte[] md5) =>
        OperatingSystem.IsLinux() && md5.Length == Md5Bytes && SetAttribute(path, AttributeName, md5, Md5Bytes, 0) == 0;

    /// <summary>The MD5 stored on the open file, or null when it has none (written elsewhere, copied, or unsupported).</summary>
    public static byte[]? TryRead(SafeFileHandle file)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var md5 = new byte[Md5Bytes];
        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            return GetAttribute((int)file.DangerousGetHandle(), AttributeName, md5, Md5Bytes) == Md5Bytes ? md5 : null;
        }
        finally
        {
            if (added) file.DangerousRelease();
        }
    }

    [LibraryImport("libc", EntryPoint = "setxattr", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetAttribute(string path, string name, byte[] value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "fgetxattr", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetAttribute(int fd, string name, [Out] byte[] value, nuint size);
}
