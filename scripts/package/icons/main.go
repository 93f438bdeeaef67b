// Command icons writes the application icon at the sizes desktops look for
// (the freedesktop hicolor theme), scaled down from build/appicon.png:
//
//	go run ./scripts/package/icons build/appicon.png OUTDIR
//
// writes OUTDIR/<N>x<N>/apps/lead-navigator.png for each size.
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
	"path/filepath"
)

// sizes are the hicolor sizes menus, docks and file managers ask for.
var sizes = []int{16, 24, 32, 48, 64, 128, 256, 512}

func main() {
	if len(os.Args) != 3 {
		log.Fatal("usage: icons SOURCE.png OUTDIR")
	}
	src, err := readPNG(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range sizes {
		path := filepath.Join(os.Args[2], fmt.Sprintf("%dx%d", n, n), "apps", "lead-navigator.png")
		if err := writePNG(path, scale(src, n)); err != nil {
			log.Fatal(err)
		}
	}
}

func readPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

func writePNG(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// scale resizes a square image to n×n by averaging the source pixels each
// target pixel covers (weighted by overlap), which keeps small icons smooth
// for any ratio. Colours are averaged premultiplied so transparent edges
// do not darken.
func scale(src image.Image, n int) *image.NRGBA {
	b := src.Bounds()
	ratio := float64(b.Dx()) / float64(n)
	dst := image.NewNRGBA(image.Rect(0, 0, n, n))
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			dst.SetNRGBA(x, y, average(src, b, float64(x)*ratio, float64(y)*ratio, ratio))
		}
	}
	return dst
}

// average is the mean colour of the ratio×ratio source square at (x0, y0).
func average(src image.Image, b image.Rectangle, x0, y0, ratio float64) color.NRGBA {
	var r, g, bl, a, total float64
	for sy := int(y0); float64(sy) < y0+ratio; sy++ {
		wy := overlap(float64(sy), y0, ratio)
		for sx := int(x0); float64(sx) < x0+ratio; sx++ {
			w := wy * overlap(float64(sx), x0, ratio)
			pr, pg, pb, pa := src.At(b.Min.X+sx, b.Min.Y+sy).RGBA() // premultiplied, 16-bit
			r, g, bl, a = r+w*float64(pr), g+w*float64(pg), bl+w*float64(pb), a+w*float64(pa)
			total += w
		}
	}
	if a == 0 {
		return color.NRGBA{}
	}
	return color.NRGBA{R: unpremultiply(r, a), G: unpremultiply(g, a), B: unpremultiply(bl, a), A: uint8(a / total / 257)}
}

// overlap is how much of source pixel p (from p to p+1) lies in [start, start+length).
func overlap(p, start, length float64) float64 {
	lo, hi := max(p, start), min(p+1, start+length)
	return max(0, hi-lo)
}

func unpremultiply(c, a float64) uint8 { return uint8(c / a * 255) }
