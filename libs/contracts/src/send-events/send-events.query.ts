import { PageQuery } from '../pagination/page.query.js';

/** `GET /v1/sends/:id/events`: one page of a send's timeline, oldest first. */
export class ListSendEventsQuery extends PageQuery {}
