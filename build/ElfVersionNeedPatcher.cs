// Compiled twice (so it sticks to netstandard2.0 APIs): as an MSBuild inline task (RoslynCodeTaskFactory, Type="Class") by
// build/Microsoft.ML.Reparam.NativePatch.targets, and into the test project with
// ELF_PATCHER_NO_MSBUILD defined so that the logic is tested without MSBuild.
// Why the patch is safe: docs/native-patch.md.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Microsoft.ML.Reparam.Build
{
    /// <summary>The outcome of <see cref="ElfVersionNeedPatcher.Patch"/>.</summary>
    public enum ElfPatchResult
    {
        /// <summary>The file does not need the version at all.</summary>
        NotNeeded,

        /// <summary>The version need is already weak and the symbol unversioned.</summary>
        AlreadyPatched,

        /// <summary>The file was rewritten.</summary>
        Patched,
    }

    /// <summary>
    /// Reads and edits the GNU symbol-versioning sections of a little-endian ELF64 shared object:
    /// makes one required version (for example <c>GLIBCXX_3.4.32</c>) weak and clears the version
    /// of the symbols bound to it, so that the dynamic loader accepts an older provider.
    /// </summary>
    public static class ElfVersionNeedPatcher
    {
        private const uint ShtDynSym = 11;
        private const uint ShtGnuVerDef = 0x6ffffffd;
        private const uint ShtGnuVerNeed = 0x6ffffffe;
        private const uint ShtGnuVerSym = 0x6fffffff;
        private const ushort VerFlagWeak = 0x2;
        private const ushort VerIndexGlobal = 1;

        /// <summary>Returns true when the shared object at <paramref name="path"/> defines <paramref name="version"/>.</summary>
        public static bool DefinesVersion(string path, string version)
        {
            var elf = File.ReadAllBytes(path);
            var verdef = FindSection(elf, ShtGnuVerDef);
            if (verdef is null)
            {
                return false;
            }

            var strtab = SectionOffset(elf, ReadU32(elf, verdef.Value.Header + 40));
            long entry = verdef.Value.Offset;
            while (true)
            {
                ushort count = ReadU16(elf, entry + 6);
                uint auxOffset = ReadU32(elf, entry + 12);
                uint next = ReadU32(elf, entry + 16);
                long aux = entry + auxOffset;
                for (int i = 0; i < count; i++)
                {
                    if (ReadString(elf, strtab + ReadU32(elf, aux)) == version)
                    {
                        return true;
                    }

                    aux += ReadU32(elf, aux + 4);
                }

                if (next == 0)
                {
                    return false;
                }

                entry += next;
            }
        }

        /// <summary>
        /// Makes the need for <paramref name="version"/> weak and clears the version of
        /// <paramref name="symbol"/>. Refuses (throws) when any other symbol uses that version,
        /// because only a symbol that nothing calls may lose its version safely.
        /// The file is replaced, not edited in place, so hard links (for example into a package cache) are not modified.
        /// </summary>
        public static ElfPatchResult Patch(string path, string version, string symbol)
        {
            var elf = File.ReadAllBytes(path);
            var verneed = FindSection(elf, ShtGnuVerNeed) ?? throw new InvalidDataException($"'{path}' has no .gnu.version_r section.");
            var versym = FindSection(elf, ShtGnuVerSym) ?? throw new InvalidDataException($"'{path}' has no .gnu.version section.");
            var dynsym = FindSection(elf, ShtDynSym) ?? throw new InvalidDataException($"'{path}' has no .dynsym section.");
            long verneedStrings = SectionOffset(elf, ReadU32(elf, verneed.Header + 40));
            long dynsymStrings = SectionOffset(elf, ReadU32(elf, dynsym.Header + 40));

            long auxEntry = FindNeededVersion(elf, verneed.Offset, verneedStrings, version);
            if (auxEntry < 0)
            {
                return ElfPatchResult.NotNeeded;
            }

            ushort index = ReadU16(elf, auxEntry + 6);
            bool changed = false;
            ushort flags = ReadU16(elf, auxEntry + 4);
            if ((flags & VerFlagWeak) == 0)
            {
                WriteU16(elf, auxEntry + 4, (ushort)(flags | VerFlagWeak));
                changed = true;
            }

            long symbolCount = (long)ReadU64(elf, dynsym.Header + 32) / 24;
            for (long i = 0; i < symbolCount; i++)
            {
                long versymEntry = versym.Offset + (2 * i);
                if ((ReadU16(elf, versymEntry) & 0x7fff) != index)
                {
                    continue;
                }

                string name = ReadString(elf, dynsymStrings + ReadU32(elf, dynsym.Offset + (24 * i)));
                if (name != symbol)
                {
                    throw new InvalidDataException($"'{path}': symbol '{name}' also needs {version}; refusing to patch.");
                }

                WriteU16(elf, versymEntry, VerIndexGlobal);
                changed = true;
            }

            if (!changed)
            {
                return ElfPatchResult.AlreadyPatched;
            }

            // A copy keeps the file mode; replacing (not editing in place) leaves hard links, such as a
            // package cache's copy, untouched. The original timestamp keeps incremental copies skipping it.
            var temporary = path + ".patching";
            var lastWrite = File.GetLastWriteTimeUtc(path);
            File.Copy(path, temporary, overwrite: true);
            File.WriteAllBytes(temporary, elf);
            File.SetLastWriteTimeUtc(temporary, lastWrite);
            File.Replace(temporary, path, destinationBackupFileName: null);
            return ElfPatchResult.Patched;
        }

        /// <summary>Returns the candidate paths of the libstdc++ the dynamic loader would pick, best first.</summary>
        public static IEnumerable<string> LibStdCxxCandidates()
        {
            var directories = new List<string>();
            var ldLibraryPath = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
            if (!string.IsNullOrEmpty(ldLibraryPath))
            {
                directories.AddRange(ldLibraryPath.Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries));
            }

            directories.AddRange(new[]
            {
                "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
            });
            foreach (var directory in directories)
            {
                var candidate = Path.Combine(directory, "libstdc++.so.6");
                if (File.Exists(candidate))
                {
                    yield return candidate;
                }
            }
        }

        private static long FindNeededVersion(byte[] elf, long offset, long strings, string version)
        {
            long entry = offset;
            while (true)
            {
                ushort count = ReadU16(elf, entry + 2);
                long aux = entry + ReadU32(elf, entry + 8);
                for (int i = 0; i < count; i++)
                {
                    if (ReadString(elf, strings + ReadU32(elf, aux + 8)) == version)
                    {
                        return aux;
                    }

                    aux += ReadU32(elf, aux + 12);
                }

                uint next = ReadU32(elf, entry + 12);
                if (next == 0)
                {
                    return -1;
                }

                entry += next;
            }
        }

        private static (long Header, long Offset)? FindSection(byte[] elf, uint type)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            {
                throw new InvalidDataException("Not an ELF file.");
            }

            if (elf[4] != 2 || elf[5] != 1)
            {
                throw new InvalidDataException("Only little-endian ELF64 files are supported.");
            }

            long sectionHeaders = (long)ReadU64(elf, 0x28);
            ushort entrySize = ReadU16(elf, 0x3a);
            ushort count = ReadU16(elf, 0x3c);
            for (int i = 0; i < count; i++)
            {
                long header = sectionHeaders + ((long)i * entrySize);
                if (ReadU32(elf, header + 4) == type)
                {
                    return (header, (long)ReadU64(elf, header + 24));
                }
            }

            return null;
        }

        private static long SectionOffset(byte[] elf, uint sectionIndex)
        {
            long sectionHeaders = (long)ReadU64(elf, 0x28);
            ushort entrySize = ReadU16(elf, 0x3a);
            return (long)ReadU64(elf, sectionHeaders + ((long)sectionIndex * entrySize) + 24);
        }

        private static string ReadString(byte[] elf, long offset)
        {
            long end = offset;
            while (elf[end] != 0)
            {
                end++;
            }

            return Encoding.ASCII.GetString(elf, (int)offset, (int)(end - offset));
        }

        private static ushort ReadU16(byte[] elf, long offset) => BitConverter.ToUInt16(elf, (int)offset);

        private static uint ReadU32(byte[] elf, long offset) => BitConverter.ToUInt32(elf, (int)offset);

        private static ulong ReadU64(byte[] elf, long offset) => BitConverter.ToUInt64(elf, (int)offset);

        private static void WriteU16(byte[] elf, long offset, ushort value)
        {
            elf[offset] = (byte)(value & 0xff);
            elf[offset + 1] = (byte)(value >> 8);
        }
    }

#if !ELF_PATCHER_NO_MSBUILD
    /// <summary>MSBuild task: patches every libLibTorchSharp.so below <see cref="Directory"/> when the host libstdc++ lacks the version.</summary>
    public sealed class PatchLibTorchSharpVersionNeed : Microsoft.Build.Utilities.Task
    {
        /// <summary>Gets or sets the output folder to scan.</summary>
        [Microsoft.Build.Framework.Required]
        public string Directory { get; set; } = string.Empty;

        /// <summary>Gets or sets the version that the host may lack.</summary>
        public string Version { get; set; } = "GLIBCXX_3.4.32";

        /// <summary>Gets or sets the only symbol allowed to need that version.</summary>
        public string Symbol { get; set; } = "_ZSt21ios_base_library_initv";

        /// <inheritdoc />
        public override bool Execute()
        {
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) || !System.IO.Directory.Exists(Directory))
            {
                return true;
            }

            foreach (var libStdCxx in ElfVersionNeedPatcher.LibStdCxxCandidates())
            {
                if (ElfVersionNeedPatcher.DefinesVersion(libStdCxx, Version))
                {
                    return true;
                }

                break;
            }

            foreach (var library in System.IO.Directory.EnumerateFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                try
                {
                    if (ElfVersionNeedPatcher.Patch(library, Version, Symbol) == ElfPatchResult.Patched)
                    {
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, $"Microsoft.ML.Reparam: host libstdc++ lacks {Version}; made that need weak in {library}");
                    }
                }
                catch (InvalidDataException exception)
                {
                    Log.LogWarning($"Microsoft.ML.Reparam: could not patch {library}: {exception.Message}");
                }
            }

            return !Log.HasLoggedErrors;
        }
    }
#endif
}
