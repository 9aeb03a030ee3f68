import sharp from 'sharp';

/** A photo carrying a camera serial and a GPS position (Tapachula), as a phone would write it. */
export function photoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'VigiaTestCam-SN4711', Model: 'Phone' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '14/1 54/1 1200/100', GPSLongitudeRef: 'W', GPSLongitude: '92/1 15/1 3600/100', GPSMapDatum: 'GPS-WGS-84' },
    })
    .toBuffer();
}
