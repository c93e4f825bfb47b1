package spec

// Face identifies one font file of the product's font set: each role's own face,
// and the fallback face that draws, character by character, what a role's face
// lacks (the format requires every character of 通用规范汉字表 to print in every
// role). The typesetter says which face draws each glyph; writers embed or name
// that face.
type Face int

const (
	// FaceFallback draws what a role's own face lacks (Noto Serif CJK SC Light in
	// the stand-in set). The faces of the roles are Face(role): RoleFace.
	FaceFallback = Face(NumRoles)
	NumFaces     = int(NumRoles) + 1
)

// Faces lists every face in a fixed order: the roles' faces in role order, then the
// fallback face.
var Faces = [NumFaces]Face{Face(RoleFangsong), Face(RoleTitle), Face(RoleHei), Face(RoleKai), Face(RoleSong), FaceFallback}

// RoleFace is the role's own face.
func RoleFace(r Role) Face { return Face(r) }

// Name is the face's stable identifier (file names, PDF resource names): the role's
// name, or "fallback".
func (f Face) Name() string {
	if f == FaceFallback {
		return "fallback"
	}
	if f >= 0 && f < Face(NumRoles) {
		return Role(f).Name()
	}
	return "unknown"
}

func (f Face) String() string { return f.Name() }

// Valid reports whether f is one of Faces.
func (f Face) Valid() bool { return f >= 0 && int(f) < NumFaces }
