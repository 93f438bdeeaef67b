package api

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"

	"leadnavigator/backend/auth"
	"leadnavigator/backend/workspace"
)

// The authorization matrix: every exported method of *API must have a case
// here (cases are registered by the matrix_*_test.go files of each
// concern). Each case is called as every kind of caller against the
// caller's own workspace and a foreign one; exactly the calls the caller's
// role allows must get past authorization, and every other call must fail
// with an authorization error.

// need is what a method requires of its caller.
type need int

const (
	public     need = iota // no session (register, login, ...)
	loggedIn               // any valid session, not about one workspace
	canView                // workspace member with View
	canAnalyze             // Analyst or Owner
	canManage              // Owner
)

// matrixCase describes how to call one bound method.
type matrixCase struct {
	method string
	need   need
	// args returns the arguments after the token (and, for workspace
	// methods, after the workspace id) for a call against workspace ws.
	args func(f *fixture, ws int64) []any
	// workspaceArg is false for loggedIn methods that take no workspace id.
	workspaceArg bool
}

var matrixCases = map[string]matrixCase{}

// cases registers matrix cases; used from var declarations in the matrix_*_test.go files.
func cases(cs ...matrixCase) bool {
	for _, c := range cs {
		if _, dup := matrixCases[c.method]; dup {
			panic("duplicate matrix case " + c.method)
		}
		matrixCases[c.method] = c
	}
	return true
}

func noArgs(*fixture, int64) []any { return nil }

// callerKind is who calls in the matrix.
type callerKind string

const (
	asOwner    callerKind = "owner"
	asAnalyst  callerKind = "analyst"
	asViewer   callerKind = "viewer"
	asOutsider callerKind = "non-member"
	asNobody   callerKind = "logged-out"
)

var callerKinds = []callerKind{asOwner, asAnalyst, asViewer, asOutsider, asNobody}

func (k callerKind) role() workspace.Role {
	switch k {
	case asOwner:
		return workspace.Owner
	case asAnalyst:
		return workspace.Analyst
	case asViewer:
		return workspace.Viewer
	}
	return ""
}

func allowed(c matrixCase, k callerKind, ownWorkspace bool) bool {
	switch c.need {
	case public:
		return true
	case loggedIn:
		return k != asNobody
	}
	if !ownWorkspace || k == asNobody || k == asOutsider {
		return false
	}
	p := map[need]workspace.Permission{canView: workspace.View, canAnalyze: workspace.Analyze, canManage: workspace.Manage}[c.need]
	return k.role().Allows(p)
}

func isAuthzError(err error) bool {
	return errors.Is(err, auth.ErrUnauthenticated) || errors.Is(err, workspace.ErrForbidden)
}

func TestEveryBoundMethodHasAMatrixCase(t *testing.T) {
	typ := reflect.TypeOf(&API{})
	var missing []string
	for i := 0; i < typ.NumMethod(); i++ {
		if _, ok := matrixCases[typ.Method(i).Name]; !ok {
			missing = append(missing, typ.Method(i).Name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("bound methods without an authorization matrix case: %v", missing)
	}
	for name := range matrixCases {
		if _, ok := typ.MethodByName(name); !ok {
			t.Errorf("matrix case for %s, which is not a bound method", name)
		}
	}
}

func TestAuthorizationMatrix(t *testing.T) {
	names := make([]string, 0, len(matrixCases))
	for name := range matrixCases {
		names = append(names, name)
	}
	sort.Strings(names)
	leaks := 0
	for _, name := range names {
		c := matrixCases[name]
		for _, k := range callerKinds {
			t.Run(fmt.Sprintf("%s/%s", name, k), func(t *testing.T) {
				f := newFixture(t)
				targets := []struct {
					ws  int64
					own bool
				}{{f.foreignWS, false}, {f.ws, true}}
				if c.need == public || c.need == loggedIn {
					targets = targets[1:]
				}
				for _, target := range targets {
					err := f.call(c, k, target.ws)
					want := allowed(c, k, target.own)
					switch {
					case want && isAuthzError(err):
						t.Errorf("%s as %s on own=%v: refused (%v), want allowed", name, k, target.own, err)
					case !want && !isAuthzError(err):
						leaks++
						t.Errorf("LEAK: %s as %s on own=%v: got %v, want an authorization error", name, k, target.own, err)
					}
				}
			})
		}
	}
	if leaks > 0 {
		t.Fatalf("%d authorization leaks", leaks)
	}
}

// call invokes the case's method through reflection as caller kind k.
func (f *fixture) call(c matrixCase, k callerKind, ws int64) (err error) {
	m := reflect.ValueOf(f.api).MethodByName(c.method)
	var in []reflect.Value
	if c.need != public {
		in = append(in, reflect.ValueOf(f.tokens[k]))
		if c.workspaceArg || c.need >= canView {
			in = append(in, reflect.ValueOf(ws))
		}
	}
	for _, a := range c.args(f, ws) {
		in = append(in, reflect.ValueOf(a))
	}
	if len(in) != m.Type().NumIn() {
		return fmt.Errorf("matrix case %s passes %d arguments, method takes %d", c.method, len(in), m.Type().NumIn())
	}
	for i := range in {
		if !in[i].Type().AssignableTo(m.Type().In(i)) {
			in[i] = in[i].Convert(m.Type().In(i))
		}
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	out := m.Call(in)
	if last := out[len(out)-1]; last.Type() == reflect.TypeOf((*error)(nil)).Elem() && !last.IsNil() {
		return last.Interface().(error)
	}
	return nil
}
