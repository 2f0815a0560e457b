package awscreds

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneRoleKeyRule: the AWS CLI cache key of an assumed role is built in
// one place, awsfiles.RoleKey, which the helpers' SDK-free path uses; the
// SDK path must call it too rather than build a credcache.Key of a role's
// settings itself (issue 13: one rule, one home). The golden entries of
// e2e_cache_test.go check what the key is.
func TestOneRoleKeyRule(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			sel, ok := lit.Type.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Key" {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "credcache" {
				return true
			}
			for _, e := range lit.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok && (id.Name == "SerialNumber" || id.Name == "ExternalID" || id.Name == "DurationSeconds") {
						t.Errorf("%s: a role's cache key built here; call awsfiles.RoleKey", fset.Position(lit.Pos()))
					}
				}
			}
			return true
		})
	}
}
