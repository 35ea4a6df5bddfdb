using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Sets VER_FLG_WEAK on the GLIBCXX_3.4.32 entry of an ELF64 SHT_GNU_verneed section of a library copied into a build's output.
/// </summary>
public sealed class MarkGlibcxxNeedWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 2;
    private const string Needed = "GLIBCXX_3.4.32";

    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            var bytes = File.ReadAllBytes(path);
            switch (Patch(bytes))
            {
                case PatchResult.Patched:
                    // A new file (same mode) renamed over the old: the output's copy may be a hard link into the
                    // package cache, which a write through the path would patch too.
                    var patched = path + ".patched";
                    File.Copy(path, patched, overwrite: true);
                    File.WriteAllBytes(patched, bytes);
                    File.Replace(patched, path, null);
                    Log.LogMessage(MessageImportance.Low, "Marked {0} weak in {1}", Needed, path);
                    break;
                case PatchResult.NotElf64:
                    Log.LogError("{0} is not a little-endian ELF64 file", path);
                    return false;
            }
        }
        return true;
    }

    private enum PatchResult { Patched, AlreadyWeakOrAbsent, NotElf64 }

    private static PatchResult Patch(byte[] b)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F' || b[4] != 2 || b[5] != 1)
            return PatchResult.NotElf64;
        long shoff = BitConverter.ToInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A);
        int shnum = BitConverter.ToUInt16(b, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (BitConverter.ToUInt32(b, (int)sh + 4) != ShtGnuVerneed) continue;
            long offset = BitConverter.ToInt64(b, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(b, (int)sh + 0x28);
            long strtab = BitConverter.ToInt64(b, (int)(shoff + (long)link * shentsize + 0x18));
            long need = offset;
            while (true)
            {
                int cnt = BitConverter.ToUInt16(b, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(b, (int)need + 8);
                for (int a = 0; a < cnt; a++)
                {
                    int nameOff = (int)BitConverter.ToUInt32(b, (int)aux + 8);
                    if (ReadCString(b, strtab + nameOff) == Needed)
                    {
                        int flagsAt = (int)aux + 4;
                        ushort flags = BitConverter.ToUInt16(b, flagsAt);
                        if ((flags & VerFlgWeak) != 0) return PatchResult.AlreadyWeakOrAbsent;
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(b, flagsAt);
                        return PatchResult.Patched;
                    }
                    uint nextAux = BitConverter.ToUInt32(b, (int)aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = BitConverter.ToUInt32(b, (int)need + 12);
                if (next == 0) break;
                need += next;
            }
        }
        return PatchResult.AlreadyWeakOrAbsent;
    }

    private static string ReadCString(byte[] b, long at)
    {
        int end = (int)at;
        while (b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }
}
