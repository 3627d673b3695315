import { IMAGE_FORMATS, ImageLimits, ProductEnvelopeSchema, ProductLimits } from "@edge-shop/contracts";
import { errors, openApi, type ServiceApp } from "@edge-shop/worker-kit";
import { createRoute, z } from "@hono/zod-openapi";
import { removeImage } from "../db/queries/product-images";
import { findProduct } from "../db/queries/products";
import { declaredType, readImageBody } from "../media/upload-body";
import { uploadImage } from "../media/upload-image";
import { bookmarkHeader, writeProduct } from "./catalog-sessions";

const { access, json, problem } = openApi;

const id = z
  .string()
  .min(1)
  .max(100)
  .openapi({ param: { name: "id", in: "path" } });

const binary = z.string().openapi({ format: "binary" });

const uploadRoute = createRoute({
  method: "post",
  path: "/api/products/{id}/images",
  tags: ["Products"],
  summary: "Upload a picture of a product (admin)",
  description: [
    "The body is the image itself (JPEG, PNG or WebP, at most 5 MiB and 8,000 pixels a side), with its",
    "`Content-Type`; its first bytes must announce that format and the whole file must decode. The original and",
    "WebP variants 320 and 960 pixels wide are stored under the SHA-256 of the bytes and served at `/media/…`;",
    "the picture is appended to `product.images`. The same bytes again store nothing new and leave a product that",
    "already shows them unchanged.",
  ].join(" "),
  ...access("admin"),
  request: {
    params: z.object({ id }),
    body: {
      required: true,
      content: Object.fromEntries(Object.keys(IMAGE_FORMATS).map((type) => [type, { schema: binary }])),
    },
  },
  responses: {
    201: { ...json(ProductEnvelopeSchema, "The product, showing the picture"), headers: bookmarkHeader },
    401: problem("No authenticated caller"),
    403: problem("The caller is not an admin"),
    404: problem("No such product"),
    409: problem(`The product already has ${ProductLimits.images} pictures`),
    413: problem(`The image is larger than ${ImageLimits.bytes} bytes (5 MiB)`),
    415: problem(
      "Not a JPEG, PNG or WebP image (SVG included), or bytes that do not decode as the declared type",
    ),
    422: problem(`The image is more than ${ImageLimits.side} pixels wide or high`),
    503: problem("The sweep is deleting this very picture: retry after `Retry-After` seconds"),
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/api/products/{id}/images/{n}",
  tags: ["Products"],
  summary: "Remove a picture of a product (admin)",
  description:
    "`n` is the picture's index in `product.images`, from 0. Its stored objects are deleted by an hourly sweep " +
    "once no product shows the picture any more.",
  ...access("admin"),
  request: {
    params: z.object({
      id,
      n: z.coerce
        .number()
        .int()
        .min(0)
        .max(ProductLimits.images - 1)
        .openapi({ param: { name: "n", in: "path" }, type: "integer" }),
    }),
  },
  responses: {
    200: { ...json(ProductEnvelopeSchema, "The product without that picture"), headers: bookmarkHeader },
    400: problem("Invalid request: `errors[]` lists each field"),
    401: problem("No authenticated caller"),
    403: problem("The caller is not an admin"),
    404: problem("No such product, or no picture at that index"),
  },
});

/** The picture routes of products: upload one, remove one. */
export function productImageRoutes(app: ServiceApp<Env>): void {
  app.openapi(uploadRoute, async (c) => {
    const { id: productId } = c.req.valid("param");
    const type = declaredType(c.req.header("content-type"));
    const bytes = await readImageBody(c.req.raw);
    const { product } = await writeProduct(c, (db) =>
      uploadImage(c.env, db, productId, type, bytes, new Date()),
    );
    return c.json({ product }, 201);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id: productId, n } = c.req.valid("param");
    const { product } = await writeProduct(
      c,
      (db) => removeImage(db, productId, n, new Date()),
      async (db) =>
        (await findProduct(db, productId)) ? errors.notFound("Picture") : errors.notFound("Product"),
    );
    return c.json({ product }, 200);
  });
}
