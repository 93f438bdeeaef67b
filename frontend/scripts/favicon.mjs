// Not a test: renders public/favicon.ico (16, 32 and 48 px PNGs in one
// ICO file) from public/favicon.svg with Chromium. Run by hand after
// changing the SVG: node scripts/favicon.mjs
import { readFileSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const pub = join(dirname(fileURLToPath(import.meta.url)), '..', 'public')
const svg = readFileSync(join(pub, 'favicon.svg'), 'utf8')
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] })
const images = []
try {
  for (const size of [16, 32, 48]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } })
    await page.setContent(`<body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body>`)
    images.push({ size, png: await page.screenshot({ omitBackground: true }) })
    await page.close()
  }
} finally {
  await browser.close()
}
// ICO: a 6-byte header, a 16-byte entry per image, then the PNGs.
const header = Buffer.alloc(6)
header.writeUInt16LE(0, 0)
header.writeUInt16LE(1, 2)
header.writeUInt16LE(images.length, 4)
let offset = 6 + 16 * images.length
const entries = images.map(({ size, png }) => {
  const e = Buffer.alloc(16)
  e.writeUInt8(size % 256, 0)
  e.writeUInt8(size % 256, 1)
  e.writeUInt16LE(1, 4) // colour planes
  e.writeUInt16LE(32, 6) // bits per pixel
  e.writeUInt32LE(png.length, 8)
  e.writeUInt32LE(offset, 12)
  offset += png.length
  return e
})
writeFileSync(join(pub, 'favicon.ico'), Buffer.concat([header, ...entries, ...images.map((i) => i.png)]))
console.log('wrote public/favicon.ico', offset, 'bytes')
