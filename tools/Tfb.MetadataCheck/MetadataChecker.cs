using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Tfb.MetadataCheck;

/// <summary>One rule broken, with where it was found.</summary>
public sealed record Violation(string Rule, string Where, string Detail)
{
    public override string ToString() => $"{Rule}: {Where}: {Detail}";
}

/// <summary>
/// Inspects a compiled assembly for constructs the nanoFramework 1.x metadata processor or runtime rejects:
/// generic definitions and instantiations, multi-dimensional arrays, pointers, references outside an
/// allow-list, and more than 255 methods or fields of one kind in a type (the PE format stores those
/// counts in a byte).
/// </summary>
public static class MetadataChecker
{
    public const string Generic = "generic";
    public const string MultiDimArray = "multi-dimensional-array";
    public const string Pointer = "pointer";
    public const string Reference = "assembly-reference";
    public const string TooManyMembers = "too-many-members";

    public const int MaxPerKind = 255;

    public static IReadOnlyList<Violation> Check(string assemblyPath, AllowList allow)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        return Check(pe.GetMetadataReader(), allow);
    }

    public static IReadOnlyList<Violation> Check(MetadataReader md, AllowList allow)
    {
        var found = new List<Violation>();
        CheckReferences(md, allow, found);
        CheckTypes(md, found);
        CheckSignatures(md, found);
        return found;
    }

    private static void CheckReferences(MetadataReader md, AllowList allow, List<Violation> found)
    {
        foreach (var h in md.AssemblyReferences)
        {
            var r = md.GetAssemblyReference(h);
            var name = md.GetString(r.Name);
            var token = TokenOf(md, r);
            var why = allow.Check(name, r.Version, token);
            if (why != null) found.Add(new Violation(Reference, name, why));
        }
    }

    private static string TokenOf(MetadataReader md, AssemblyReference r)
    {
        if (r.PublicKeyOrToken.IsNil) return "null";
        var bytes = md.GetBlobBytes(r.PublicKeyOrToken);
        if ((r.Flags & AssemblyFlags.PublicKey) != 0)
        {
            var an = new AssemblyName { };
            an.SetPublicKey(bytes);
            bytes = an.GetPublicKeyToken() ?? [];
        }
        return Convert.ToHexString(bytes).ToLowerInvariant();
    }

    private static void CheckTypes(MetadataReader md, List<Violation> found)
    {
        foreach (var th in md.TypeDefinitions)
        {
            var t = md.GetTypeDefinition(th);
            var typeName = FullName(md, t);
            if (t.GetGenericParameters().Count > 0)
                found.Add(new Violation(Generic, typeName, "generic type definition"));

            int vMethods = 0, iMethods = 0, sMethods = 0;
            foreach (var mh in t.GetMethods())
            {
                var m = md.GetMethodDefinition(mh);
                if (m.GetGenericParameters().Count > 0)
                    found.Add(new Violation(Generic, typeName + "." + md.GetString(m.Name), "generic method definition"));
                if ((m.Attributes & MethodAttributes.Static) != 0) sMethods++;
                else if ((m.Attributes & MethodAttributes.Virtual) != 0) vMethods++;
                else iMethods++;
            }
            int sFields = 0, iFields = 0;
            foreach (var fh in t.GetFields())
            {
                var f = md.GetFieldDefinition(fh);
                if ((f.Attributes & FieldAttributes.Literal) != 0) continue; // constants are inlined, not stored
                if ((f.Attributes & FieldAttributes.Static) != 0) sFields++; else iFields++;
            }
            AddIfOver(found, typeName, "virtual methods", vMethods);
            AddIfOver(found, typeName, "instance methods", iMethods);
            AddIfOver(found, typeName, "static methods", sMethods);
            AddIfOver(found, typeName, "static fields", sFields);
            AddIfOver(found, typeName, "instance fields", iFields);
        }
    }

    private static void AddIfOver(List<Violation> found, string typeName, string kind, int count)
    {
        if (count > MaxPerKind)
            found.Add(new Violation(TooManyMembers, typeName, $"{count} {kind} (nanoFramework allows {MaxPerKind})"));
    }

    private static void CheckSignatures(MetadataReader md, List<Violation> found)
    {
        var provider = new ShapeProvider(md);
        void Note(string where, Shape s)
        {
            if (s.HasGenericInstance) found.Add(new Violation(Generic, where, "generic instantiation " + s.Name));
            if (s.HasMultiDimArray) found.Add(new Violation(MultiDimArray, where, s.Name));
            if (s.HasPointer) found.Add(new Violation(Pointer, where, s.Name));
        }

        foreach (var th in md.TypeDefinitions)
        {
            var t = md.GetTypeDefinition(th);
            var typeName = FullName(md, t);
            if (!t.BaseType.IsNil) Note(typeName + " (base type)", provider.FromHandle(t.BaseType));
            foreach (var ih in t.GetInterfaceImplementations())
                Note(typeName + " (interface)", provider.FromHandle(md.GetInterfaceImplementation(ih).Interface));
            foreach (var fh in t.GetFields())
            {
                var f = md.GetFieldDefinition(fh);
                Note(typeName + "." + md.GetString(f.Name), f.DecodeSignature(provider, null));
            }
            foreach (var mh in t.GetMethods())
            {
                var m = md.GetMethodDefinition(mh);
                var where = typeName + "." + md.GetString(m.Name);
                var sig = m.DecodeSignature(provider, null);
                Note(where + " (return)", sig.ReturnType);
                foreach (var p in sig.ParameterTypes) Note(where + " (parameter)", p);
            }
        }
        for (int row = 1; row <= md.GetTableRowCount(TableIndex.TypeSpec); row++)
            Note("type reference in code", md.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row)).DecodeSignature(provider, null));
        foreach (var h in md.MemberReferences)
        {
            var r = md.GetMemberReference(h);
            var where = "call to " + md.GetString(r.Name);
            if (r.Parent.Kind == HandleKind.TypeSpecification)
                Note(where, md.GetTypeSpecification((TypeSpecificationHandle)r.Parent).DecodeSignature(provider, null));
            if (r.GetKind() == MemberReferenceKind.Method)
            {
                var sig = r.DecodeMethodSignature(provider, null);
                Note(where + " (return)", sig.ReturnType);
                foreach (var p in sig.ParameterTypes) Note(where + " (parameter)", p);
            }
            else Note(where, r.DecodeFieldSignature(provider, null));
        }
        for (int row = 1; row <= md.GetTableRowCount(TableIndex.MethodSpec); row++)
        {
            var spec = md.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(row));
            found.Add(new Violation(Generic, "method instantiation", MethodName(md, spec.Method)));
        }
        for (int row = 1; row <= md.GetTableRowCount(TableIndex.StandAloneSig); row++)
        {
            var sig = md.GetStandaloneSignature(MetadataTokens.StandaloneSignatureHandle(row));
            if (sig.GetKind() != StandaloneSignatureKind.LocalVariables) continue;
            foreach (var local in sig.DecodeLocalSignature(provider, null)) Note("local variable", local);
        }
    }

    private static string MethodName(MetadataReader md, EntityHandle h) => h.Kind switch
    {
        HandleKind.MethodDefinition => md.GetString(md.GetMethodDefinition((MethodDefinitionHandle)h).Name),
        HandleKind.MemberReference => md.GetString(md.GetMemberReference((MemberReferenceHandle)h).Name),
        _ => h.Kind.ToString(),
    };

    internal static string FullName(MetadataReader md, TypeDefinition t)
    {
        var ns = md.GetString(t.Namespace);
        var name = md.GetString(t.Name);
        if (t.IsNested) return FullName(md, md.GetTypeDefinition(t.GetDeclaringType())) + "+" + name;
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>A decoded type and the forbidden shapes found anywhere inside it.</summary>
    public readonly record struct Shape(string Name, bool HasGenericInstance, bool HasMultiDimArray, bool HasPointer)
    {
        public Shape Wrap(string name) => this with { Name = name };
        public static Shape Of(string name) => new(name, false, false, false);
        public Shape Or(Shape o) => new(Name, HasGenericInstance | o.HasGenericInstance, HasMultiDimArray | o.HasMultiDimArray, HasPointer | o.HasPointer);
    }

    private sealed class ShapeProvider(MetadataReader md) : ISignatureTypeProvider<Shape, object?>
    {
        public Shape FromHandle(EntityHandle h) => h.Kind switch
        {
            HandleKind.TypeDefinition => GetTypeFromDefinition(md, (TypeDefinitionHandle)h, 0),
            HandleKind.TypeReference => GetTypeFromReference(md, (TypeReferenceHandle)h, 0),
            HandleKind.TypeSpecification => md.GetTypeSpecification((TypeSpecificationHandle)h).DecodeSignature(this, null),
            _ => Shape.Of(h.Kind.ToString()),
        };

        public Shape GetArrayType(Shape e, ArrayShape shape) => new Shape(e.Name + "[" + new string(',', shape.Rank - 1) + "]", false, true, false).Or(e);
        public Shape GetByReferenceType(Shape e) => e.Wrap(e.Name + "&");
        public Shape GetFunctionPointerType(MethodSignature<Shape> s) => new("method pointer", false, false, true);
        public Shape GetGenericInstantiation(Shape g, ImmutableArray<Shape> args)
        {
            var r = new Shape(g.Name + "<" + string.Join(",", args.Select(a => a.Name)) + ">", true, false, false).Or(g);
            foreach (var a in args) r = r.Or(a);
            return r;
        }
        public Shape GetGenericMethodParameter(object? c, int index) => new("!!" + index, true, false, false);
        public Shape GetGenericTypeParameter(object? c, int index) => new("!" + index, true, false, false);
        public Shape GetModifiedType(Shape modifier, Shape unmodified, bool isRequired) => unmodified;
        public Shape GetPinnedType(Shape e) => e;
        public Shape GetPointerType(Shape e) => new Shape(e.Name + "*", false, false, true).Or(e);
        public Shape GetPrimitiveType(PrimitiveTypeCode t) => Shape.Of(t.ToString());
        public Shape GetSZArrayType(Shape e) => e.Wrap(e.Name + "[]");
        public Shape GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle h, byte k) => Shape.Of(FullName(r, r.GetTypeDefinition(h)));
        public Shape GetTypeFromReference(MetadataReader r, TypeReferenceHandle h, byte k)
        {
            var t = r.GetTypeReference(h);
            var ns = r.GetString(t.Namespace);
            return Shape.Of((ns.Length == 0 ? "" : ns + ".") + r.GetString(t.Name));
        }
        public Shape GetTypeFromSpecification(MetadataReader r, object? c, TypeSpecificationHandle h, byte k) => r.GetTypeSpecification(h).DecodeSignature(this, c);
    }
}
