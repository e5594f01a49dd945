// MSBuild task, compiled by RoslynCodeTaskFactory (see Refilled.Native.targets).
//
// TorchSharp 0.107's libLibTorchSharp.so was linked by GCC 13 and records that it needs GLIBCXX_3.4.32
// for a single symbol, the iostream initialisation marker `std::ios_base_library_init()`, which it never
// calls. Older libstdc++ (Debian 12 stops at 3.4.30) then refuses to load the whole library. Marking that
// version-needed entry WEAK makes the dynamic linker accept its absence. We only do that after checking
// that no symbol other than the marker carries the version, and we never touch a file in place: the copy
// in the output may be a hard link into the NuGet cache.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class ElfVersionNeedWeakener : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const uint ShtGnuVersym = 0x6fffffff;
    const ushort VerFlagWeak = 0x2;

    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string Version { get; set; } = "";
    [Required] public string AllowedSymbol { get; set; } = "";

    public override bool Execute()
    {
        if (SystemLibStdCxxHas(Version))
        {
            Log.LogMessage(MessageImportance.Low, $"libstdc++ provides {Version}; nothing to patch.");
            return true;
        }
        foreach (var item in Files)
        {
            try
            {
                Patch(item.ItemSpec);
            }
            catch (Exception e)
            {
                Log.LogError($"{item.ItemSpec}: cannot weaken the {Version} requirement: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    static bool SystemLibStdCxxHas(string version)
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        foreach (var path in candidates)
        {
            if (!File.Exists(path)) continue;
            var text = Encoding.GetEncoding("iso-8859-1").GetString(File.ReadAllBytes(path));
            return text.IndexOf(version + "\0", StringComparison.Ordinal) >= 0;
        }
        return false;
    }

    void Patch(string path)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");

        long shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        long Sh(int index, int field) => shoff + (long)index * shentsize + field;
        uint Type(int i) => BitConverter.ToUInt32(elf, (int)Sh(i, 4));
        long Offset(int i) => (long)BitConverter.ToUInt64(elf, (int)Sh(i, 0x18));
        long Size(int i) => (long)BitConverter.ToUInt64(elf, (int)Sh(i, 0x20));
        int Link(int i) => (int)BitConverter.ToUInt32(elf, (int)Sh(i, 0x28));
        string Str(int section, uint at)
        {
            int start = (int)(Offset(section) + at), end = start;
            while (elf[end] != 0) end++;
            return Encoding.ASCII.GetString(elf, start, end - start);
        }

        int verneed = -1, versym = -1;
        for (int i = 0; i < shnum; i++)
        {
            if (Type(i) == ShtGnuVerneed) verneed = i;
            if (Type(i) == ShtGnuVersym) versym = i;
        }
        if (verneed < 0 || versym < 0) throw new InvalidDataException("no symbol versioning sections");

        // Walk Elf64_Verneed / Elf64_Vernaux to find the entry for the version.
        long auxAt = -1;
        ushort index = 0;
        long need = Offset(verneed);
        while (true)
        {
            int count = BitConverter.ToUInt16(elf, (int)need + 2);
            long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
            for (int k = 0; k < count; k++)
            {
                if (Str(Link(verneed), BitConverter.ToUInt32(elf, (int)aux + 8)) == Version)
                {
                    auxAt = aux;
                    index = BitConverter.ToUInt16(elf, (int)aux + 6);
                }
                aux += BitConverter.ToUInt32(elf, (int)aux + 12);
            }
            uint next = BitConverter.ToUInt32(elf, (int)need + 12);
            if (next == 0) break;
            need += next;
        }
        if (auxAt < 0)
        {
            Log.LogMessage(MessageImportance.Low, $"{path} does not need {Version}.");
            return;
        }
        ushort flags = BitConverter.ToUInt16(elf, (int)auxAt + 4);
        if ((flags & VerFlagWeak) != 0) return;

        // Every dynamic symbol that carries the version must be the harmless, undefined marker.
        int dynsym = Link(versym);
        int dynstr = Link(dynsym);
        long symbols = Size(versym) / 2;
        int carriers = 0;
        for (long s = 0; s < symbols; s++)
        {
            if ((BitConverter.ToUInt16(elf, (int)(Offset(versym) + 2 * s)) & 0x7fff) != index) continue;
            long sym = Offset(dynsym) + 24 * s;
            string name = Str(dynstr, BitConverter.ToUInt32(elf, (int)sym));
            ushort shndx = BitConverter.ToUInt16(elf, (int)sym + 6);
            if (name != AllowedSymbol || shndx != 0)
                throw new InvalidDataException($"symbol '{name}' also needs {Version}; weakening it would be unsafe");
            carriers++;
        }
        if (carriers > 1) throw new InvalidDataException($"{carriers} symbols need {Version}");

        BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(elf, auxAt + 4);
        string temp = path + ".weakening";
        File.WriteAllBytes(temp, elf);
        File.Replace(temp, path, null); // a rename: replaces the hard link instead of writing through it
        Log.LogMessage(MessageImportance.High, $"Marked {Version} weak in {path} (only '{AllowedSymbol}' used it).");
    }
}
