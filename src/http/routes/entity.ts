/**
 * The entity flow's management endpoints (`entity/`): create an entity for a link_id, list them
 * ten to a page, read one. The API key alone identifies the client (header, or `api_key` in the
 * body of a create), as the entity flow's older clients send it; errors in DRF's shapes.
 */
import { Type } from 'typebox';
import { AppError, fieldError } from '../../errors/codes.ts';
import type { Deps } from '../../usecases/deps.ts';
import { createEntity, findEntity, listEntities } from '../../usecases/entity.ts';
import { createEntityFields, EntityCreated, EntityList, EntityResponse, entityErrorWire, renderEntity, renderEntityList } from '../../wire/entity-wire.ts';
import { validateFields } from '../../wire/fields.ts';
import { PARAMETER_MEDIA_TYPES } from '../request-params.ts';
import type { Router } from '../route.ts';

export const ENTITY_BASE = '/bank-connect/v1/entity';

export function entityRoutes(router: Router, deps: Deps): void {
  router.route({
    method: 'POST',
    url: `${ENTITY_BASE}/`,
    auth: 'api-key',
    startsWork: true,
    body: { maxParameters: 5 },
    summary: 'Create an entity for a link_id (the existing one when the link_id has one)',
    requestBody: { consumes: PARAMETER_MEDIA_TYPES, fields: createEntityFields },
    responses: { 201: { description: "The link_id's entity", json: EntityCreated } },
    errorWire: entityErrorWire,
    async handler({ client, params }) {
      const v = validateFields(createEntityFields, params);
      const { entity } = await createEntity(deps, client, v.link_id);
      return { status: 201, body: { entity_id: entity.entityId } };
    },
  });

  router.route({
    method: 'GET',
    url: `${ENTITY_BASE}/`,
    auth: 'api-key',
    startsWork: false,
    summary: 'List entities, ten to a page, oldest first',
    querystring: Type.Object({
      page: Type.Optional(Type.String({ description: '1-based; default 1. A page past the last answers 404 "Invalid page."' })),
      link_id: Type.Optional(Type.String({ description: "Only this link_id's entities." })),
    }),
    responses: { 200: { description: 'A page of entities', json: EntityList } },
    errors: ['NOT_FOUND', 'INVALID_REQUEST'],
    errorWire: entityErrorWire,
    async handler({ client, request }) {
      // A parameter given twice arrives as an array: neither is then a page or a link_id.
      const query = request.query as Record<string, unknown>;
      const page = query.page === undefined || query.page === '' ? 1 : typeof query.page === 'string' && /^\d{1,9}$/.test(query.page) ? Number(query.page) : NaN;
      if (query.link_id !== undefined && typeof query.link_id !== 'string') throw fieldError('link_id', 'Not a valid string.');
      const linkId = query.link_id === undefined || query.link_id === '' ? null : query.link_id;
      const list = await listEntities(deps, client, { linkId, page });
      return { body: renderEntityList(`${deps.config.publicUrl}${ENTITY_BASE}/`, list, linkId) };
    },
  });

  router.route({
    method: 'GET',
    url: `${ENTITY_BASE}/:entity_id/`,
    auth: 'api-key',
    startsWork: false,
    summary: 'Read an entity: its link_id',
    params: Type.Object({ entity_id: Type.String() }),
    responses: { 200: { description: 'The entity', json: EntityResponse } },
    errors: ['SESSION_NOT_FOUND'],
    errorWire: entityErrorWire,
    async handler({ client, path }) {
      return { body: renderEntity(await findEntity(deps, client, path.entity_id)) };
    },
  });
}

/** The entity of an error's route, for the upload routes' bodies. */
export function withEntityId(error: unknown, entityId: string | null): unknown {
  return error instanceof AppError ? new AppError(error.code, error.message, { entity_id: entityId }) : error;
}
